// Files served from memory: the web UI (GET / and GET /ui/{file}) and the API
// reference page's script (GET /docs/{file}). Every file of a folder is read
// once at start, so a request never touches the filesystem and no path can
// reach outside the folder.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "gateway/static_files.h"
#include "services/common/log.h"

namespace socm::gateway {
namespace {

std::string ContentTypeOf(const std::string& extension) {
  static const std::map<std::string, std::string> types = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json; charset=utf-8"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"}};
  auto it = types.find(extension);
  return it == types.end() ? "" : it->second;
}

}  // namespace

Response ServeFile(const StaticFile& file, const std::string& csp) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, file.content_type);
  // Revalidate each time: a redeploy must show at once; the files are small.
  response.set(http::field::cache_control, "no-cache");
  response.set("x-content-type-options", "nosniff");
  response.set("content-security-policy", csp);
  response.set("referrer-policy", "no-referrer");
  response.body() = file.body;
  response.prepare_payload();
  return response;
}

std::map<std::string, StaticFile> LoadFolder(const std::string& dir) {
  std::map<std::string, StaticFile> files;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string type = ContentTypeOf(entry.path().extension().string());
    if (type.empty()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    files[entry.path().filename().string()] = {type, text.str()};
  }
  return files;
}

RouteHandler FileHandler(std::shared_ptr<const std::map<std::string, StaticFile>> files,
                         const std::string& param, const std::string& fixed_name,
                         const std::string& csp) {
  return [files, param, fixed_name, csp](CallPtr call, Respond respond) {
    const std::string name = fixed_name.empty() ? call->params.at(param) : fixed_name;
    auto it = files->find(name);
    if (it == files->end()) {
      return respond(ErrorResponse(http::status::not_found, absl::StatusCode::kNotFound,
                                   absl::StrCat("no file ", call->path)));
    }
    respond(ServeFile(it->second, csp));
  };
}

NamedHandlers StaticHandlers(const std::string& web_dir) {
  auto files = std::make_shared<const std::map<std::string, StaticFile>>(
      web_dir.empty() ? std::map<std::string, StaticFile>{} : LoadFolder(web_dir));
  if (files->empty()) {
    Log(LogLevel::kWarn, "no web UI files found; / answers 404", {{"web_dir", web_dir}});
  }
  static const std::string csp =
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
      "frame-ancestors 'none'";
  return {
      {"ui_index", [files](const RouteSpec&) { return FileHandler(files, "", "index.html", csp); }},
      {"ui_file", [files](const RouteSpec&) { return FileHandler(files, "file", "", csp); }}};
}

}  // namespace socm::gateway
