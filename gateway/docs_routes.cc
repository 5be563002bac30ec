// GET /openapi.json, and the browsable reference at GET /docs: Redoc's
// standalone script (npm package redoc, pinned in package.json) reading the
// document from /openapi.json. The page gets its own Content-Security-Policy:
// Redoc sets inline styles and runs its search in a blob: worker; it needs
// nothing else. Its menu also shows a logo from cdn.redoc.ly, which the policy
// blocks on purpose: reading our docs tells no third party about it.
#include "absl/strings/str_cat.h"
#include "gateway/gateway.h"
#include "gateway/openapi.h"
#include "gateway/responses.h"
#include "gateway/static_files.h"
#include "services/common/log.h"

namespace socm::gateway {
namespace {

constexpr char kScript[] = "redoc.standalone.js";

constexpr char kPage[] = R"(<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SOC Maturity API</title>
<link rel="icon" href="data:,">
</head>
<body>
<redoc spec-url="/openapi.json"></redoc>
<script src="/docs/redoc.standalone.js"></script>
</body>
</html>
)";

}  // namespace

NamedHandlers DocsHandlers(const std::string& docs_dir) {
  static const std::string csp =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src blob:; "
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  auto files = std::make_shared<std::map<std::string, StaticFile>>();
  if (!docs_dir.empty()) {
    std::map<std::string, StaticFile> all = LoadFolder(docs_dir);
    if (auto it = all.find(kScript); it != all.end()) (*files)[kScript] = std::move(it->second);
  }
  if (files->empty()) {
    Log(LogLevel::kWarn, "no API reference script found; /docs shows no reference",
        {{"docs_dir", docs_dir}, {"file", kScript}});
  }
  (*files)["index.html"] = {"text/html; charset=utf-8", kPage};
  auto document = std::make_shared<const std::string>(OpenApiDocument(PublicRoutes()).dump(2));

  NamedHandlers out;
  out["openapi"] = [document](const RouteSpec&) -> RouteHandler {
    return [document](CallPtr, Respond respond) {
      Response response = JsonResponse(http::status::ok, *document);
      // The document changes only with a new gateway; let clients revalidate.
      response.set(http::field::cache_control, "no-cache");
      respond(std::move(response));
    };
  };
  std::shared_ptr<const std::map<std::string, StaticFile>> shared = files;
  out["docs"] = [shared](const RouteSpec&) { return FileHandler(shared, "", "index.html", csp); };
  out["docs_file"] = [shared](const RouteSpec&) { return FileHandler(shared, "file", "", csp); };
  return out;
}

}  // namespace socm::gateway
