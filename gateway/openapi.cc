#include "gateway/openapi.h"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gateway/binding.h"

namespace socm::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::FieldDescriptor;
using nlohmann::json;

// "soc.maturity.assessment.v1.Organization" -> "assessment.v1.Organization".
std::string SchemaName(const std::string& full_name) {
  return absl::StartsWith(full_name, "soc.maturity.") ? full_name.substr(13) : full_name;
}

json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

class SchemaWriter {
 public:
  explicit SchemaWriter(json& schemas) : schemas_(schemas) {}

  json Message(const Descriptor& type) {
    if (const json* known = WellKnown(type.full_name())) return *known;
    const std::string name = SchemaName(type.full_name());
    if (!schemas_.contains(name)) {
      schemas_[name] = json::object();  // placeholder: messages may refer to themselves
      json properties = json::object();
      const auto& internal = InternalFields();
      for (int i = 0; i < type.field_count(); ++i) {
        const FieldDescriptor& f = *type.field(i);
        if (std::find(internal.begin(), internal.end(), f.full_name()) != internal.end()) continue;
        properties[f.json_name()] = Field(f);
      }
      schemas_[name] = {
          {"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
    }
    return Ref(name);
  }

  json Field(const FieldDescriptor& f) {
    if (f.is_map()) {
      return {{"type", "object"},
              {"additionalProperties", Single(*f.message_type()->FindFieldByName("value"))}};
    }
    if (f.is_repeated()) return {{"type", "array"}, {"items", Single(f)}};
    return Single(f);
  }

  json Single(const FieldDescriptor& f) {
    switch (f.type()) {
      case FieldDescriptor::TYPE_STRING:
        return {{"type", "string"}};
      case FieldDescriptor::TYPE_BYTES:
        return {{"type", "string"}, {"contentEncoding", "base64"}};
      case FieldDescriptor::TYPE_BOOL:
        return {{"type", "boolean"}};
      case FieldDescriptor::TYPE_DOUBLE:
      case FieldDescriptor::TYPE_FLOAT:
        return {{"type", "number"}};
      case FieldDescriptor::TYPE_INT64:
      case FieldDescriptor::TYPE_SINT64:
      case FieldDescriptor::TYPE_SFIXED64:
      case FieldDescriptor::TYPE_UINT64:
      case FieldDescriptor::TYPE_FIXED64:
        // The proto3 JSON mapping writes 64-bit integers as strings.
        return {{"type", "string"}, {"format", "int64"}};
      case FieldDescriptor::TYPE_ENUM:
        return Enum(*f.enum_type());
      case FieldDescriptor::TYPE_MESSAGE:
      case FieldDescriptor::TYPE_GROUP:
        return Message(*f.message_type());
      default:
        return {{"type", "integer"}, {"format", "int32"}};
    }
  }

  json Enum(const EnumDescriptor& type) {
    const std::string name = SchemaName(type.full_name());
    if (!schemas_.contains(name)) {
      json values = json::array();
      const bool short_names = IsShortEnum(type);
      for (int i = 0; i < type.value_count(); ++i) {
        // The zero value means "not set": the reply leaves it out and a request need not send it.
        if (type.value(i)->number() == 0 &&
            (short_names || absl::EndsWith(type.value(i)->name(), "_UNSPECIFIED")))
          continue;
        values.push_back(short_names ? ShortEnumName(*type.value(i)) : type.value(i)->name());
      }
      schemas_[name] = {{"type", "string"}, {"enum", values}};
    }
    return Ref(name);
  }

 private:
  static const json* WellKnown(const std::string& name) {
    static const std::map<std::string, json> known = {
        {"google.protobuf.Timestamp", {{"type", "string"}, {"format", "date-time"}}},
        {"google.protobuf.Duration", {{"type", "string"}, {"pattern", "^-?[0-9.]+s$"}}},
        {"google.protobuf.FieldMask", {{"type", "string"}}},
        {"google.protobuf.Struct", {{"type", "object"}}},
        {"google.protobuf.Value", json::object()},
        {"google.protobuf.Empty", {{"type", "object"}}},
        {"google.protobuf.Int32Value", {{"type", "integer"}, {"format", "int32"}}},
        {"google.protobuf.DoubleValue", {{"type", "number"}}},
        {"google.protobuf.StringValue", {{"type", "string"}}},
        {"google.protobuf.BoolValue", {{"type", "boolean"}}},
    };
    auto it = known.find(name);
    return it == known.end() ? nullptr : &it->second;
  }

  json& schemas_;
};

const char* NeedText(Need need) {
  switch (need) {
    case Need::kPublic:
      return "No credential.";
    case Need::kOperator:
      return "Needs the operator token.";
    case Need::kAnyKey:
      return "Needs any API key of the tenant (viewer and up).";
    case Need::kAnyCaller:
      return "Needs the operator token or any credential of a tenant.";
    case Need::kAssessor:
      return "Needs an assessor or admin key.";
    case Need::kAdmin:
      return "Needs an admin key.";
    case Need::kTenantAdmin:
      return "Needs an admin key not pinned to an organisation.";
    case Need::kTenantWide:
      return "Needs a key not pinned to an organisation.";
    case Need::kOperatorOrTenantAdmin:
      return "Needs the operator token, or an admin key of that tenant not pinned to an "
             "organisation.";
    case Need::kService:
      return "Only the suite's own components.";
  }
  return "";
}

// "ui_file" -> "uiFile"; "radar.svg" -> "RadarSvg".
std::string Camel(const std::string& text, bool upper_first) {
  std::string out;
  bool up = upper_first;
  for (char c : text) {
    if (c == '_' || c == '.' || c == '-' || c == ':') {
      up = true;
      continue;
    }
    out.push_back(up ? absl::ascii_toupper(c) : c);
    up = false;
  }
  return out;
}

const FieldDescriptor* FieldAt(const Descriptor& type, const std::string& dotted) {
  const Descriptor* at = &type;
  const FieldDescriptor* f = nullptr;
  for (const absl::string_view part : absl::StrSplit(dotted, '.')) {
    if (at == nullptr) return nullptr;
    f = at->FindFieldByName(std::string(part));
    if (f == nullptr) return nullptr;
    at = f->message_type();
  }
  return f;
}

json ErrorResponseRef() { return {{"$ref", "#/components/responses/Error"}}; }

json Parameter(const ParamBinding& p, const char* in, const Descriptor* request,
               SchemaWriter& writer) {
  json schema = {{"type", "string"}};
  const FieldDescriptor* f = request && !p.field.empty() ? FieldAt(*request, p.field) : nullptr;
  if (!p.values.empty()) {
    schema = {{"type", "string"}, {"enum", p.values}};
  } else if (f != nullptr && f->cpp_type() == FieldDescriptor::CPPTYPE_INT32) {
    schema = {{"type", "integer"}, {"format", "int32"}, {"minimum", 0}};
  } else if (f != nullptr) {
    schema = writer.Single(*f);
  }
  if (!p.default_value.empty()) schema["default"] = p.default_value;
  json out = {{"name", p.name}, {"in", in}, {"schema", schema}};
  if (!p.description.empty()) out["description"] = p.description;
  if (std::string(in) == "path") out["required"] = true;
  return out;
}

json SuccessContent(const RouteSpec& route, const Descriptor* response, SchemaWriter& writer) {
  json content = json::object();
  if (route.reply == Reply::kJson || (route.reply == Reply::kHandler && response != nullptr)) {
    content["application/json"] = {{"schema", writer.Message(*response)}};
    return content;
  }
  for (const std::string& type : route.content_types) {
    const bool text = absl::StartsWith(type, "text/") || absl::EndsWith(type, "+xml");
    content[type] = {{"schema", type == "application/json" ? json{{"type", "object"}}
                                : text                     ? json{{"type", "string"}}
                                       : json{{"type", "string"}, {"contentMediaType", type}}}};
  }
  return content;
}

json Operation(const RouteSpec& route, std::set<std::string>& operation_ids, SchemaWriter& writer) {
  const google::protobuf::MethodDescriptor* rpc = route.rpc.empty() ? nullptr : FindRpc(route.rpc);
  const Descriptor* request = rpc ? rpc->input_type() : nullptr;
  const Descriptor* response = rpc ? rpc->output_type() : nullptr;

  std::string id = rpc ? rpc->name() : Camel(route.handler, false);
  if (operation_ids.count(id)) {
    const std::vector<std::string> parts = absl::StrSplit(route.path, '/');
    id += Camel(parts.back(), true);
  }
  operation_ids.insert(id);

  json op = {{"operationId", id},
             {"summary", route.summary},
             {"description", NeedText(route.need)},
             {"tags", json::array({route.tag})}};
  if (rpc) op["x-grpc-method"] = route.rpc;
  op["security"] =
      route.need == Need::kPublic ? json::array() : json::array({json{{"bearer", json::array()}}});

  json parameters = json::array();
  for (const ParamBinding& p : route.path_params)
    parameters.push_back(Parameter(p, "path", request, writer));
  for (const ParamBinding& p : QueryBindings(route))
    parameters.push_back(Parameter(p, "query", request, writer));
  if (!route.if_match_field.empty())
    parameters.push_back({{"$ref", "#/components/parameters/IfMatch"}});
  if (route.idempotency_key)
    parameters.push_back({{"$ref", "#/components/parameters/IdempotencyKey"}});
  if (!parameters.empty()) op["parameters"] = parameters;

  if (!route.body.empty() && request != nullptr) {
    const Descriptor* body =
        route.body == "*" ? request : request->FindFieldByName(route.body)->message_type();
    json schema = writer.Message(*body);
    std::string description = route.body == "*"
                                  ? "The request; fields also given in the path must match it."
                                  : "The " + body->name() + ".";
    if (!route.patch_mask.empty()) {
      description = "The fields to change, and only those: any of ";
      for (size_t i = 0; i < route.patchable.size(); ++i)
        description += (i ? ", " : "") + route.patchable[i];
      description += ". A field not named stays as it is.";
    }
    op["requestBody"] = {{"required", true},
                         {"description", description},
                         {"content", {{"application/json", {{"schema", schema}}}}}};
  }

  if (!route.file_body_field.empty()) {
    op["requestBody"] = {
        {"required", true},
        {"description",
         absl::StrCat("The file itself, at most ", route.body_limit >> 20, " MiB (413 beyond).")},
        {"content",
         {{route.file_body_type,
           {{"schema", {{"type", "string"}, {"contentMediaType", route.file_body_type}}}}}}}};
  }

  json responses = json::object();
  const std::string code =
      route.reply == Reply::kNoContent ? "204" : std::to_string(static_cast<int>(route.success));
  json success = {{"description", route.reply == Reply::kNoContent ? "Done; no body." : "OK."}};
  if (route.reply != Reply::kNoContent)
    success["content"] = SuccessContent(route, response, writer);
  json headers = json::object();
  if (route.etag_header || route.reply == Reply::kFile || route.reply == Reply::kFileDownload)
    headers["ETag"] = {{"$ref", "#/components/headers/ETag"}};
  if (route.reply == Reply::kFileDownload)
    headers["Content-Disposition"] = {{"description", "attachment; filename=\"…\""},
                                      {"schema", {{"type", "string"}}}};
  if (!headers.empty()) success["headers"] = headers;
  responses[code] = success;
  if (route.need != Need::kPublic) {
    for (const char* c : {"400", "401", "403", "404"}) responses[c] = ErrorResponseRef();
    if (!route.if_match_field.empty() || route.idempotency_key)
      responses["409"] = ErrorResponseRef();
    responses["429"] = {{"$ref", "#/components/responses/RateLimited"}};
  } else {
    // Any route answers 400 to a malformed query string.
    responses["400"] = ErrorResponseRef();
    if (!route.path_params.empty()) responses["404"] = ErrorResponseRef();
  }
  if (route.body_limit > 0) {
    responses["413"] = ErrorResponseRef();
    responses["415"] = ErrorResponseRef();
  }
  if (route.handler == "import_answers") {
    // Problems in the workbook: the error, and beside it what the workbook did say.
    const json items = writer.Message(*response->FindFieldByName("answers")->message_type());
    const json problems = writer.Message(*response->FindFieldByName("problems")->message_type());
    const json body = {{"type", "object"},
                       {"required", json::array({"error"})},
                       {"properties",
                        {{"error", {{"$ref", "#/components/schemas/Error/properties/error"}}},
                         {"answers", {{"type", "array"}, {"items", items}}},
                         {"problems", {{"type", "array"}, {"items", problems}}},
                         {"sha256", {{"type", "string"}}},
                         {"sheetName", {{"type", "string"}}}}}};
    responses["400"] = {
        {"description",
         "The workbook cannot be read (the error alone), or it has problems: then the body also "
         "holds the parsed `answers` and the `problems`, each with its cell, and nothing was "
         "written."},
        {"content", {{"application/json", {{"schema", body}}}}}};
  }
  if (route.handler == "readyz") responses["503"] = {{"description", "A backend is not ready."}};
  responses["default"] = ErrorResponseRef();
  op["responses"] = responses;
  return op;
}

json ErrorSchema() {
  json codes = json::array();
  for (const char* c :
       {"INVALID_ARGUMENT", "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND", "ALREADY_EXISTS",
        "ABORTED", "FAILED_PRECONDITION", "RESOURCE_EXHAUSTED", "CANCELLED", "UNIMPLEMENTED",
        "UNAVAILABLE", "DEADLINE_EXCEEDED", "INTERNAL", "UNKNOWN", "DATA_LOSS", "OUT_OF_RANGE"}) {
    codes.push_back(c);
  }
  const json violation = {
      {"type", "object"},
      {"required", json::array({"field", "description"})},
      {"properties",
       {{"field", {{"type", "string"}, {"description", "The JSON path, e.g. answers[3].inSource"}}},
        {"description", {{"type", "string"}}}}}};
  return {{"type", "object"},
          {"required", json::array({"error"})},
          {"properties",
           {{"error",
             {{"type", "object"},
              {"required", json::array({"code", "message"})},
              {"properties",
               {{"code", {{"type", "string"}, {"enum", codes}}},
                {"message", {{"type", "string"}}},
                {"details", {{"type", "array"}, {"items", violation}}}}}}}}}};
}

}  // namespace

std::string OpenApiMethod(http::verb method) {
  return absl::AsciiStrToLower(std::string(http::to_string(method)));
}

nlohmann::json OpenApiDocument(const std::vector<RouteSpec>& routes) {
  json schemas = json::object();
  SchemaWriter writer(schemas);
  json paths = json::object();
  std::set<std::string> operation_ids;
  std::vector<std::string> tags;
  for (const RouteSpec& route : routes) {
    paths[route.path][OpenApiMethod(route.method)] = Operation(route, operation_ids, writer);
    if (std::find(tags.begin(), tags.end(), route.tag) == tags.end()) tags.push_back(route.tag);
  }
  schemas["Error"] = ErrorSchema();
  json tag_list = json::array();
  for (const std::string& tag : tags)
    tag_list.push_back({{"name", tag}, {"description", "Routes of " + tag + "."}});

  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "SOC Maturity API"},
            {"version", "1"},
            {"summary", "SOC/CSIRT maturity self-assessments (ISOG-J and other models) over REST."},
            {"description",
             "Generated from the gateway's route table; never edited by hand. JSON bodies follow "
             "the proto3 JSON mapping: lowerCamelCase names, enums as their names, 64-bit integers "
             "as strings. Lists take pageSize and pageToken and answer nextPageToken. Writes to an "
             "assessment take If-Match with its etag; creates take Idempotency-Key. Every error "
             "has the Error shape."},
            {"license", {{"name", "Proprietary"}, {"identifier", "LicenseRef-Proprietary"}}}}},
          {"servers", json::array({json{{"url", "/"}, {"description", "This gateway."}}})},
          {"tags", tag_list},
          {"paths", paths},
          {"components",
           {{"schemas", schemas},
            {"securitySchemes",
             {{"bearer",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"description",
                 "The operator token (tenant administration) or a tenant's API key (socm_…). "
                 "The tenant always comes from the key."}}}}},
            {"parameters",
             {{"IfMatch",
               {{"name", "If-Match"},
                {"in", "header"},
                {"description",
                 "The assessment's etag, as the ETag header or the etag field carries it (also "
                 "quoted once more, or weak W/). A stale etag answers 409 and changes nothing; "
                 "none skips the check."},
                {"schema", {{"type", "string"}}}}},
              {"IdempotencyKey",
               {{"name", "Idempotency-Key"},
                {"in", "header"},
                {"description",
                 "1..255 visible ASCII characters. The same key and body within 24 h answers the "
                 "first result; the same key with another body answers 409."},
                {"schema", {{"type", "string"}, {"minLength", 1}, {"maxLength", 255}}}}}}},
            {"headers",
             {{"ETag",
               {{"description", "The entity tag of what the reply holds."},
                {"schema", {{"type", "string"}}}}}}},
            {"responses",
             {{"Error",
               {{"description", "An error, in the one error shape."},
                {"content", {{"application/json", {{"schema", Ref("Error")}}}}}}},
              {"RateLimited",
               {{"description", "The key's rate limit is spent; retry after Retry-After seconds."},
                {"headers",
                 {{"Retry-After",
                   {{"description", "Seconds to wait."}, {"schema", {{"type", "integer"}}}}}}},
                {"content", {{"application/json", {{"schema", Ref("Error")}}}}}}}}}}}};
}

}  // namespace socm::gateway
