{{/*
Names, labels and the suite's wiring. Every component template ranges over
"socm.components" and reads its block from .Values.components.<name>.
*/}}

{{- define "socm.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "socm.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The components, in the order they are rendered. */}}
{{- define "socm.components" -}}
["catalogue", "assessment", "scoring", "reporting", "gateway"]
{{- end -}}

{{/*
Who calls whom, and which component needs Redis or the database. This follows the
binaries' flags (e.g. scoring reads --assessment-addr and --catalogue-addr), so it
is not a value: a component given an address it does not read would only mislead.
*/}}
{{- define "socm.topology" -}}
catalogue:
  calls: []
  redis: true
  database: true
assessment:
  calls: [catalogue]
  redis: true
  database: true
scoring:
  calls: [assessment, catalogue]
  redis: true
  database: false
reporting:
  calls: [assessment, catalogue]
  redis: true
  database: false
gateway:
  calls: [catalogue, assessment, scoring, reporting]
  redis: true
  database: false
{{- end -}}

{{/* "<fullname>-<component>"; call with (dict "root" $ "name" "catalogue"). */}}
{{- define "socm.componentFullname" -}}
{{- printf "%s-%s" (include "socm.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "socm.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels of every object; call with the root context. */}}
{{- define "socm.commonLabels" -}}
helm.sh/chart: {{ include "socm.chart" . }}
app.kubernetes.io/name: {{ include "socm.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/part-of: soc-maturity
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Labels of a component's objects; call with (dict "root" $ "name" NAME). */}}
{{- define "socm.labels" -}}
{{ include "socm.commonLabels" .root }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{/* The immutable selector of a component's pods; call with (dict "root" $ "name" NAME). */}}
{{- define "socm.selectorLabels" -}}
app.kubernetes.io/name: {{ include "socm.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .name }}
{{- end -}}

{{- define "socm.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "socm.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* A component's image; call with (dict "root" $ "component" BLOCK). */}}
{{- define "socm.image" -}}
{{- $root := .root -}}
{{- $tag := .component.image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion -}}
{{- if $root.Values.image.registry -}}
{{- printf "%s/%s:%s" $root.Values.image.registry .component.image.repository $tag -}}
{{- else -}}
{{- printf "%s:%s" .component.image.repository $tag -}}
{{- end -}}
{{- end -}}

{{/* The Secret the chart creates for credentials given as values. */}}
{{- define "socm.credentialsSecretName" -}}
{{- printf "%s-credentials" (include "socm.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* "true" when the chart's Secret carries the operator token. */}}
{{- define "socm.tokenInChartSecret" -}}
{{- if and (not .Values.auth.existingSecret) .Values.auth.operatorToken -}}true{{- end -}}
{{- end -}}

{{/*
The database settings in effect, as YAML (read with `include "socm.database" $ | fromYaml`):
the database.* block, each key falling back to the older postgresql.* key it replaces
(postgresql.enabled=true is database.engine=postgresql).
*/}}
{{- define "socm.database" -}}
{{- $new := .Values.database | default dict -}}
{{- $old := .Values.postgresql | default dict -}}
{{- $engine := $new.engine | default (ternary "postgresql" "sqlite" (eq (toString (dig "enabled" false $old)) "true")) -}}
engine: {{ $engine }}
postgresql: {{ eq $engine "postgresql" }}
url: {{ $new.url | default (dig "url" "" $old) | quote }}
existingSecret: {{ $new.existingSecret | default (dig "existingSecret" "" $old) | quote }}
existingSecretKey: {{ $new.existingSecretKey | default (dig "existingSecretKey" "" $old) | default "database-url" | quote }}
port: {{ $new.port | default (dig "port" 0 $old) | default 5432 }}
networkPolicy:
  to: {{ dig "networkPolicy" "to" list $new | default (dig "networkPolicy" "to" list $old) | toJson }}
  podSelector: {{ dig "networkPolicy" "podSelector" dict $new | default (dig "networkPolicy" "podSelector" dict $old) | toJson }}
{{- end -}}

{{/* "true" when the chart's Secret carries the database URL. */}}
{{- define "socm.databaseUrlInChartSecret" -}}
{{- $db := include "socm.database" . | fromYaml -}}
{{- if and $db.postgresql (not $db.existingSecret) -}}true{{- end -}}
{{- end -}}

{{/* Checks across values that the schema cannot express; fails the render. */}}
{{- define "socm.validate" -}}
{{- if and .Values.tls.certManager.enabled (not .Values.tls.certManager.issuerRef.name) -}}
{{- fail "tls.certManager.enabled needs tls.certManager.issuerRef.name (a CA issuer of the suite's own)" -}}
{{- end -}}
{{- if and .Values.auth.operatorToken (lt (len .Values.auth.operatorToken) 16) -}}
{{- fail "auth.operatorToken must be at least 16 characters (the gateway refuses a shorter one)" -}}
{{- end -}}
{{- $db := include "socm.database" . | fromYaml -}}
{{- if and $db.postgresql (not $db.existingSecret) (not $db.url) -}}
{{- fail "database.engine=postgresql needs database.url or database.existingSecret" -}}
{{- end -}}
{{- if and .Values.redis.enabled (not .Values.redis.host) -}}
{{- fail "redis.enabled needs redis.host" -}}
{{- end -}}
{{- if not $db.postgresql -}}
{{- range $name := list "catalogue" "assessment" -}}
{{- $c := index $.Values.components $name -}}
{{- if or (gt (int $c.replicaCount) 1) $c.autoscaling.enabled -}}
{{- fail (printf "components.%s: more than one replica needs database.engine=postgresql (SQLite files live in one pod)" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the principal key pair: the operator's, or the chart's own. */}}
{{- define "socm.principalSecretName" -}}
{{- if .Values.principal.existingSecret -}}
{{- .Values.principal.existingSecret -}}
{{- else -}}
{{- printf "%s-principal" (include "socm.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the gateway's key for identity providers' client secrets. */}}
{{- define "socm.identitySecretName" -}}
{{- if .Values.identity.existingSecret -}}
{{- .Values.identity.existingSecret -}}
{{- else -}}
{{- printf "%s-identity" (include "socm.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* The Secret holding the suite's CA and component certificates (no cert-manager). */}}
{{- define "socm.tlsSecretName" -}}
{{- if .Values.tls.existingSecret -}}
{{- .Values.tls.existingSecret -}}
{{- else -}}
{{- printf "%s-tls" (include "socm.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
