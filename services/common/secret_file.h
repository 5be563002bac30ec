#pragma once
// Reading a secret (a password, a key, a PEM) from a file mounted from a Secret.

#include <string>

#include "absl/status/status.h"

namespace socm {

// A secret file's content without the line end editors and `echo` add; an unreadable file is
// an error naming `setting`.
absl::Status ReadSecretFile(const std::string& setting, const std::string& path, std::string* out);

}  // namespace socm
