// The web UI: GET / and GET /ui/{file}. Every file of the web folder is read
// once at start into memory, so a request never touches the filesystem and no
// path can reach outside the folder.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "gateway/gateway.h"
#include "gateway/responses.h"
#include "services/common/log.h"

namespace socm::gateway {
namespace {

struct StaticFile {
  std::string content_type;
  std::string body;
};

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

Response Serve(const StaticFile& file) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, file.content_type);
  // Revalidate each time: a redeploy must show at once; the files are small.
  response.set(http::field::cache_control, "no-cache");
  response.set("x-content-type-options", "nosniff");
  response.set(
      "content-security-policy",
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
      "frame-ancestors 'none'");
  response.set("referrer-policy", "no-referrer");
  response.body() = file.body;
  response.prepare_payload();
  return response;
}

}  // namespace

void AddStaticRoutes(Router& router, const std::string& web_dir) {
  auto files = std::make_shared<std::map<std::string, StaticFile>>();
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(web_dir, ec)) {
    if (!entry.is_regular_file()) continue;
    const std::string type = ContentTypeOf(entry.path().extension().string());
    if (type.empty()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    (*files)[entry.path().filename().string()] = {type, text.str()};
  }
  if (files->empty()) {
    Log(LogLevel::kWarn, "no web UI files found; / answers 404", {{"web_dir", web_dir}});
    return;
  }
  router.Add(http::verb::get, "/", [files](CallPtr, Respond respond) {
    auto it = files->find("index.html");
    if (it == files->end()) {
      return respond(
          ErrorResponse(http::status::not_found, absl::StatusCode::kNotFound, "no web UI"));
    }
    respond(Serve(it->second));
  });
  router.Add(http::verb::get, "/ui/{file}", [files](CallPtr call, Respond respond) {
    auto it = files->find(call->params.at("file"));
    if (it == files->end()) {
      return respond(ErrorResponse(http::status::not_found, absl::StatusCode::kNotFound,
                                   absl::StrCat("no file ", call->path)));
    }
    respond(Serve(it->second));
  });
}

}  // namespace socm::gateway
