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
  redis: false
  database: true
scoring:
  calls: [assessment, catalogue]
  redis: false
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

{{/* "true" when the chart's Secret carries the database URL. */}}
{{- define "socm.databaseUrlInChartSecret" -}}
{{- if and .Values.postgresql.enabled (not .Values.postgresql.existingSecret) -}}true{{- end -}}
{{- end -}}

{{/* Checks across values that the schema cannot express; fails the render. */}}
{{- define "socm.validate" -}}
{{- if and .Values.auth.operatorToken (lt (len .Values.auth.operatorToken) 16) -}}
{{- fail "auth.operatorToken must be at least 16 characters (the gateway refuses a shorter one)" -}}
{{- end -}}
{{- if and .Values.postgresql.enabled (not .Values.postgresql.existingSecret) (not .Values.postgresql.url) -}}
{{- fail "postgresql.enabled needs postgresql.url or postgresql.existingSecret" -}}
{{- end -}}
{{- if and .Values.redis.enabled (not .Values.redis.host) -}}
{{- fail "redis.enabled needs redis.host" -}}
{{- end -}}
{{- if not .Values.postgresql.enabled -}}
{{- range $name := list "catalogue" "assessment" -}}
{{- $c := index $.Values.components $name -}}
{{- if or (gt (int $c.replicaCount) 1) $c.autoscaling.enabled -}}
{{- fail (printf "components.%s: more than one replica needs postgresql.enabled (SQLite files live in one pod)" $name) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
