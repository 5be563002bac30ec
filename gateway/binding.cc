#include "gateway/binding.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cstdint>
#include <set>

#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gateway/responses.h"
#include "soc/maturity/assessment/v1/assessment.pb.h"
#include "soc/maturity/assessment/v1/identity.pb.h"
#include "soc/maturity/assessment/v1/practice.pb.h"
#include "soc/maturity/catalogue/v1/catalogue.pb.h"
#include "soc/maturity/reporting/v1/reporting.pb.h"
#include "soc/maturity/scoring/v1/scoring.pb.h"

namespace socm::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::EnumDescriptor;
using google::protobuf::EnumValueDescriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

std::string Join(const std::string& prefix, const std::string& name) {
  return prefix.empty() ? name : absl::StrCat(prefix, ".", name);
}

// KeyRole -> "KEY_ROLE_".
std::string EnumPrefix(const EnumDescriptor& type) {
  std::string out;
  for (char c : type.name()) {
    if (std::isupper(static_cast<unsigned char>(c)) && !out.empty()) out.push_back('_');
    out.push_back(absl::ascii_toupper(c));
  }
  return out + "_";
}

std::vector<std::string> EnumNames(const EnumDescriptor& type) {
  std::vector<std::string> names;
  for (int i = 0; i < type.value_count(); ++i) {
    const EnumValueDescriptor& v = *type.value(i);
    if (v.number() == 0) continue;  // UNSPECIFIED is never a choice
    names.push_back(IsShortEnum(type) ? ShortEnumName(v) : v.name());
  }
  return names;
}

// The value named `text` (short or full name), or null.
const EnumValueDescriptor* FindEnumValue(const EnumDescriptor& type, const std::string& text) {
  if (const EnumValueDescriptor* v = type.FindValueByName(text)) return v;
  return type.FindValueByName(EnumPrefix(type) + absl::AsciiStrToUpper(text));
}

bool IsWellKnown(const Descriptor& type) {
  return absl::StartsWith(type.full_name(), "google.protobuf.");
}

const FieldDescriptor* FindJsonField(const Descriptor& type, const std::string& name) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* f = type.field(i);
    if (f->json_name() == name || f->name() == name) return f;
  }
  return nullptr;
}

// True when it rewrote `value` (an enum's short name or number to its full name).
bool CheckValue(nlohmann::json& value, const FieldDescriptor& field, const std::string& path,
                std::vector<FieldViolation>* out) {
  if (value.is_null()) return false;  // the field's default, as protobuf reads it
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      if (!value.is_string()) out->push_back(Violation(path, "must be a string"));
      return false;
    case FieldDescriptor::CPPTYPE_BOOL:
      if (!value.is_boolean()) out->push_back(Violation(path, "must be true or false"));
      return false;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumDescriptor& type = *field.enum_type();
      const EnumValueDescriptor* v = nullptr;
      if (value.is_string()) v = FindEnumValue(type, value.get<std::string>());
      if (value.is_number_integer()) {
        const int64_t number = value.get<int64_t>();
        if (number >= INT32_MIN && number <= INT32_MAX)
          v = type.FindValueByNumber(static_cast<int>(number));
      }
      if (v == nullptr || v->number() == 0) {
        out->push_back(
            Violation(path, absl::StrCat("must be one of ", absl::StrJoin(EnumNames(type), ", "))));
      } else if (!value.is_string() || value.get<std::string>() != v->name()) {
        value = v->name();
        return true;
      }
      return false;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      if (IsWellKnown(*field.message_type())) return false;  // protobuf knows their forms
      if (!value.is_object()) {
        out->push_back(Violation(path, "must be an object"));
        return false;
      }
      return CheckJson(value, *field.message_type(), path, out);
    default:  // numbers; protobuf also reads them from strings
      if (!value.is_number() && !value.is_string())
        out->push_back(Violation(path, "must be a number"));
      return false;
  }
}

// Sets a singular scalar field from text, by reflection.
absl::Status SetScalar(Message* message, const FieldDescriptor& field, const std::string& text,
                       const std::string& name) {
  const Reflection& r = *message->GetReflection();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      r.SetString(message, &field, text);
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_INT32: {
      int value = 0;
      if (!absl::SimpleAtoi(text, &value) || value < 0)
        return InvalidFields({Violation(name, "must be a non-negative integer")});
      r.SetInt32(message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t value = 0;
      if (!absl::SimpleAtoi(text, &value) || value < 0)
        return InvalidFields({Violation(name, "must be a non-negative integer")});
      r.SetInt64(message, &field, value);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_BOOL:
      if (text != "true" && text != "false")
        return InvalidFields({Violation(name, "must be true or false")});
      r.SetBool(message, &field, text == "true");
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_ENUM: {
      const EnumValueDescriptor* v = FindEnumValue(*field.enum_type(), text);
      if (v == nullptr || v->number() == 0) {
        return InvalidFields(
            {Violation(name, absl::StrCat("must be one of ",
                                          absl::StrJoin(EnumNames(*field.enum_type()), ", ")))});
      }
      r.SetEnum(message, &field, v);
      return absl::OkStatus();
    }
    default:
      return absl::InternalError(absl::StrCat("cannot bind ", field.full_name(), " from text"));
  }
}

// Walks "answer.role_code" down from `message` to the last field's holder.
absl::StatusOr<std::pair<Message*, const FieldDescriptor*>> Resolve(Message* message,
                                                                    const std::string& dotted) {
  const std::vector<std::string> parts = absl::StrSplit(dotted, '.');
  for (size_t i = 0; i < parts.size(); ++i) {
    const FieldDescriptor* f = message->GetDescriptor()->FindFieldByName(parts[i]);
    if (f == nullptr || f->is_repeated()) {
      return absl::InternalError(
          absl::StrCat("route binds unknown field ", dotted, " of ", message->GetTypeName()));
    }
    if (i + 1 == parts.size()) return std::make_pair(message, f);
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) {
      return absl::InternalError(absl::StrCat("route binds through scalar ", dotted));
    }
    message = message->GetReflection()->MutableMessage(message, f);
  }
  return absl::InternalError("empty field path");
}

// "answer.role_code" below body "answer" -> "roleCode": how the client sees it.
std::string BodyPath(const RouteSpec& route, const Message& request, const std::string& dotted) {
  std::string rest = dotted;
  if (!route.body.empty() && route.body != "*" && absl::StartsWith(dotted, route.body + ".")) {
    rest = dotted.substr(route.body.size() + 1);
  }
  const Descriptor* type = request.GetDescriptor();
  if (rest != dotted) type = type->FindFieldByName(route.body)->message_type();
  std::vector<std::string> out;
  for (const absl::string_view part : absl::StrSplit(rest, '.')) {
    const FieldDescriptor* f = type ? type->FindFieldByName(std::string(part)) : nullptr;
    out.push_back(f ? f->json_name() : std::string(part));
    type = f && f->message_type() ? f->message_type() : nullptr;
  }
  return absl::StrJoin(out, ".");
}

// The text a scalar field holds, to compare with a path parameter.
std::string ScalarText(const Message& message, const FieldDescriptor& field) {
  const Reflection& r = *message.GetReflection();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return r.GetString(message, &field);
    case FieldDescriptor::CPPTYPE_INT32:
      return r.GetInt32(message, &field) == 0 ? "" : std::to_string(r.GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64:
      return r.GetInt64(message, &field) == 0 ? "" : std::to_string(r.GetInt64(message, &field));
    default:
      return "";
  }
}

absl::Status BindBody(const RouteSpec& route, const Call& call, Message* request) {
  Message* target = request;
  if (route.body != "*") {
    const FieldDescriptor* f = request->GetDescriptor()->FindFieldByName(route.body);
    if (f == nullptr || f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE)
      return absl::InternalError(absl::StrCat("route's body field ", route.body, " is unknown"));
    target = request->GetReflection()->MutableMessage(request, f);
  }
  // The check reads the body with nlohmann, which is stricter than protobuf
  // in places (a raw control byte in a string) and laxer in others (a key
  // named twice: the last wins). What it cannot read is left to protobuf's
  // parser alone, and protobuf parses the text as sent unless the check had
  // to rewrite an enum, so the mapping's own rules stay the API's.
  nlohmann::json body = nlohmann::json::parse(call.request.body(), nullptr, false);
  std::vector<FieldViolation> violations;
  bool rewritten = false;
  if (!body.is_discarded()) {
    if (!body.is_object()) return InvalidFields({Violation("", "the body must be a JSON object")});
    rewritten = CheckJson(body, *target->GetDescriptor(), "", &violations);
  }
  if (!route.patch_mask.empty() && body.is_discarded()) {
    // The mask comes from the body's keys: a body they cannot be read from is refused,
    // or protobuf's laxer parser would take it with an empty mask (replace everything).
    return InvalidFields({Violation("", "the body is not valid JSON")});
  }
  if (!route.patch_mask.empty()) {
    const FieldDescriptor* mask = request->GetDescriptor()->FindFieldByName(route.patch_mask);
    if (mask == nullptr) return absl::InternalError("route's patch mask field is unknown");
    auto* paths = static_cast<google::protobuf::FieldMask*>(
        request->GetReflection()->MutableMessage(request, mask));
    for (const auto& [name, value] : body.items()) {
      const FieldDescriptor* f = FindJsonField(*target->GetDescriptor(), name);
      if (f == nullptr) continue;  // already named as unknown
      if (std::find(route.patchable.begin(), route.patchable.end(), f->json_name()) ==
          route.patchable.end()) {
        violations.push_back(Violation(name, "cannot be changed"));
      } else {
        paths->add_paths(f->name());
      }
    }
    if (violations.empty() && paths->paths().empty())
      violations.push_back(Violation("", "nothing to update"));
  }
  if (!violations.empty()) return InvalidFields(violations);
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto parsed = google::protobuf::util::JsonStringToMessage(
      rewritten ? body.dump() : call.request.body(), target, options);
  if (!parsed.ok()) {
    return InvalidFields({Violation("", "invalid JSON body: " + std::string(parsed.message()))});
  }
  return absl::OkStatus();
}

// Output side of ShortEnumTypes(): rewrites full names in protobuf's JSON.
void ShortenEnums(nlohmann::json& value, const Descriptor& type) {
  if (!value.is_object()) return;
  for (auto& [name, item] : value.items()) {
    const FieldDescriptor* f = FindJsonField(type, name);
    if (f == nullptr) continue;
    auto each = [&](nlohmann::json& v) {
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM && IsShortEnum(*f->enum_type()) &&
          v.is_string()) {
        if (const auto* e = f->enum_type()->FindValueByName(v.get<std::string>()))
          v = ShortEnumName(*e);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && !f->is_map()) {
        ShortenEnums(v, *f->message_type());
      }
    };
    if (f->is_map() && item.is_object()) {
      // A map's values, when they are a short enum (a claim mapping's roles).
      const FieldDescriptor& map_value = *f->message_type()->FindFieldByName("value");
      for (auto& [key, v] : item.items()) {
        if (map_value.cpp_type() == FieldDescriptor::CPPTYPE_ENUM &&
            IsShortEnum(*map_value.enum_type()) && v.is_string()) {
          if (const auto* e = map_value.enum_type()->FindValueByName(v.get<std::string>()))
            v = ShortEnumName(*e);
        } else if (map_value.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
          ShortenEnums(v, *map_value.message_type());
        }
      }
    } else if (f->is_repeated() && item.is_array()) {
      for (auto& v : item) each(v);
    } else {
      each(item);
    }
  }
}

bool HoldsShortEnum(const Descriptor& type, int depth = 0) {
  if (depth > 8) return false;
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor* f = type.field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM && IsShortEnum(*f->enum_type())) return true;
    if (f->message_type() && !IsWellKnown(*f->message_type()) &&
        HoldsShortEnum(*f->message_type(), depth + 1))
      return true;
  }
  return false;
}

// The reply types of the table's routes that carry a short enum: found once,
// so a reply costs a set lookup, not a walk of its type.
const std::set<const Descriptor*>& RepliesWithShortEnums() {
  static const std::set<const Descriptor*>* types = [] {
    auto* out = new std::set<const Descriptor*>();
    for (const RouteSpec& route : PublicRoutes()) {
      const auto* rpc = route.rpc.empty() ? nullptr : FindRpc(route.rpc);
      if (rpc && HoldsShortEnum(*rpc->output_type())) out->insert(rpc->output_type());
    }
    return out;
  }();
  return *types;
}

std::string StringField(const Message& message, const char* name) {
  const FieldDescriptor* f = message.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) return "";
  return message.GetReflection()->GetString(message, f);
}

int64_t IntegerField(const Message& message, const char* name) {
  const FieldDescriptor* f = message.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr) return 0;
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT32)
    return message.GetReflection()->GetInt32(message, f);
  if (f->cpp_type() == FieldDescriptor::CPPTYPE_INT64)
    return message.GetReflection()->GetInt64(message, f);
  return 0;
}

Response FileReply(const Message& file, bool download) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, StringField(file, "content_type"));
  // The name is made safe by the reporting service; quote it all the same.
  if (download) {
    response.set(http::field::content_disposition,
                 absl::StrCat("attachment; filename=\"", StringField(file, "file_name"), "\""));
  }
  response.set(http::field::cache_control, "private, no-cache");
  response.set(http::field::etag, absl::StrCat("\"r", IntegerField(file, "revision"), "\""));
  response.set("x-content-type-options", "nosniff");
  response.body() = StringField(file, "content");
  response.prepare_payload();
  return response;
}

}  // namespace

const google::protobuf::MethodDescriptor* FindRpc(const std::string& rpc) {
  // A static library's object is linked only when something names it: naming
  // one message of each proto file puts every service in the generated pool.
  soc::maturity::assessment::v1::Assessment::descriptor();
  soc::maturity::assessment::v1::Campaign::descriptor();
  soc::maturity::assessment::v1::Person::descriptor();
  soc::maturity::catalogue::v1::Catalogue::descriptor();
  soc::maturity::reporting::v1::RenderReportRequest::descriptor();
  soc::maturity::scoring::v1::Score::descriptor();
  std::string name = rpc;
  std::replace(name.begin(), name.end(), '/', '.');
  return google::protobuf::DescriptorPool::generated_pool()->FindMethodByName(name);
}

std::string ShortEnumName(const EnumValueDescriptor& value) {
  std::string name = value.name();
  const std::string prefix = EnumPrefix(*value.type());
  if (absl::StartsWith(name, prefix)) name = name.substr(prefix.size());
  return absl::AsciiStrToLower(name);
}

bool IsShortEnum(const EnumDescriptor& type) {
  const auto& types = ShortEnumTypes();
  return std::find(types.begin(), types.end(), type.full_name()) != types.end();
}

bool CheckJson(nlohmann::json& value, const Descriptor& type, const std::string& prefix,
               std::vector<FieldViolation>* out) {
  bool changed = false;
  for (auto& [name, item] : value.items()) {
    const std::string path = Join(prefix, name);
    const FieldDescriptor* f = FindJsonField(type, name);
    if (f == nullptr) {
      out->push_back(Violation(path, "unknown field"));
    } else if (f->is_map()) {
      if (item.is_null()) continue;
      if (!item.is_object()) {
        out->push_back(Violation(path, "must be an object"));
        continue;
      }
      const FieldDescriptor& map_value = *f->message_type()->FindFieldByName("value");
      for (auto& [key, v] : item.items())
        changed = CheckValue(v, map_value, Join(path, key), out) || changed;
    } else if (f->is_repeated()) {
      if (item.is_null()) continue;
      if (!item.is_array()) {
        out->push_back(Violation(path, "must be an array"));
        continue;
      }
      for (size_t i = 0; i < item.size(); ++i)
        changed = CheckValue(item[i], *f, absl::StrCat(path, "[", i, "]"), out) || changed;
    } else {
      changed = CheckValue(item, *f, path, out) || changed;
    }
  }
  return changed;
}

std::string NormalizeIfMatch(std::string value) {
  if (absl::StartsWith(value, "W/")) value = value.substr(2);
  if (value.size() >= 4 && absl::StartsWith(value, "\"\"") && absl::EndsWith(value, "\"\"")) {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

absl::Status TakeIdempotencyKey(Call& call) {
  auto it = call.request.find("idempotency-key");
  if (it == call.request.end()) return absl::OkStatus();
  const std::string key(it->value());
  bool plain = !key.empty() && key.size() <= 255;
  for (char c : key) plain = plain && c > 0x20 && c < 0x7f;
  if (!plain)
    return InvalidFields({Violation("Idempotency-Key", "1..255 visible ASCII characters")});
  call.metadata.emplace_back("idempotency-key", key);
  return absl::OkStatus();
}

absl::Status BindRequest(const RouteSpec& route, Call& call, Message* request) {
  if (!route.body.empty()) SOCM_STATUS_RETURN(BindBody(route, call, request));
  if (route.idempotency_key) SOCM_STATUS_RETURN(TakeIdempotencyKey(call));

  std::vector<FieldViolation> violations;
  for (const ParamBinding& p : route.path_params) {
    if (p.field.empty()) continue;
    auto target = Resolve(request, p.field);
    if (!target.ok()) return target.status();
    auto [holder, field] = *target;
    const std::string& value = call.params.at(p.name);
    const std::string given = ScalarText(*holder, *field);
    if (!given.empty() && given != value) {
      violations.push_back(Violation(BodyPath(route, *request, p.field), "must match the path"));
      continue;
    }
    if (absl::Status s = SetScalar(holder, *field, value, p.name); !s.ok()) {
      for (const auto& v : ViolationsOf(s)) violations.push_back(v);
      if (ViolationsOf(s).empty()) return s;
    }
  }
  if (!violations.empty()) return InvalidFields(violations);

  const std::vector<ParamBinding> query = QueryBindings(route);
  // A route that takes no query parameters ignores any, as it always has (cache
  // busters); one that takes some refuses strangers by name.
  for (const auto& given : query.empty() ? std::map<std::string, std::string>{} : call.query) {
    const bool known = std::any_of(query.begin(), query.end(),
                                   [&](const ParamBinding& b) { return b.name == given.first; });
    if (!known) return InvalidFields({Violation(given.first, "unknown query parameter")});
  }
  for (const ParamBinding& q : query) {
    auto it = call.query.find(q.name);
    const bool given = it != call.query.end();
    std::string value = given && !it->second.empty() ? it->second : q.default_value;
    auto target = Resolve(request, q.field);
    if (!target.ok()) return target.status();
    if (value.empty()) {
      // "?pageSize=" names a number and gives none; "?lang=" means the default.
      if (given && target->second->cpp_type() != FieldDescriptor::CPPTYPE_STRING)
        SOCM_STATUS_RETURN(SetScalar(target->first, *target->second, value, q.name));
      continue;
    }
    if (!q.values.empty() && std::find(q.values.begin(), q.values.end(), value) == q.values.end()) {
      return InvalidFields(
          {Violation(q.name, absl::StrCat("must be one of ", absl::StrJoin(q.values, ", ")))});
    }
    SOCM_STATUS_RETURN(SetScalar(target->first, *target->second, value, q.name));
  }
  for (const FixedField& fixed : route.fixed) {
    auto target = Resolve(request, fixed.field);
    if (!target.ok()) return target.status();
    SOCM_STATUS_RETURN(SetScalar(target->first, *target->second, fixed.value, fixed.field));
  }
  if (!route.if_match_field.empty()) {
    // The header alone is the precondition: an etag field in the body is not one.
    auto it = call.request.find(http::field::if_match);
    auto target = Resolve(request, route.if_match_field);
    if (!target.ok()) return target.status();
    SOCM_STATUS_RETURN(SetScalar(
        target->first, *target->second,
        it == call.request.end() ? "" : NormalizeIfMatch(std::string(it->value())), "If-Match"));
  }
  return absl::OkStatus();
}

Response RenderReply(const RouteSpec& route, const Message& response) {
  switch (route.reply) {
    case Reply::kNoContent:
      return Response{http::status::no_content, 11};
    case Reply::kFile:
    case Reply::kFileDownload:
      return FileReply(response, route.reply == Reply::kFileDownload);
    default:
      break;
  }
  Response out = ProtoResponse(response);
  if (out.result() != http::status::ok) return out;
  if (RepliesWithShortEnums().count(response.GetDescriptor())) {
    nlohmann::json body = nlohmann::json::parse(out.body(), nullptr, false);
    ShortenEnums(body, *response.GetDescriptor());
    out.body() = body.dump();
    out.prepare_payload();
  }
  if (route.etag_header) out.set(http::field::etag, StringField(response, "etag"));
  out.result(route.success);
  return out;
}

}  // namespace socm::gateway
