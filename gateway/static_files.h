#pragma once
// Files read once at start and served from memory, each with a
// Content-Security-Policy of the caller's choosing. Example:
//   auto files = std::make_shared<const std::map<std::string, StaticFile>>(LoadFolder(dir));
//   router.Add(http::verb::get, "/ui/{file}", FileHandler(files, "file", "", csp));

#include <map>
#include <memory>
#include <string>

#include "gateway/http_types.h"

namespace socm::gateway {

struct StaticFile {
  std::string content_type;
  std::string body;
};

// The files of `dir` (not its folders) whose type the gateway knows, by name.
std::map<std::string, StaticFile> LoadFolder(const std::string& dir);

Response ServeFile(const StaticFile& file, const std::string& csp);

// Serves the file named by path parameter `param`, or always `fixed_name`.
RouteHandler FileHandler(std::shared_ptr<const std::map<std::string, StaticFile>> files,
                         const std::string& param, const std::string& fixed_name,
                         const std::string& csp);

}  // namespace socm::gateway
