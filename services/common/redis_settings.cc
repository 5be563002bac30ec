#include "services/common/redis_settings.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/log.h"
#include "services/common/secret_file.h"
#include "services/common/signed_value.h"

namespace socm {

RedisSettings ReadRedisSettings(Config& config) {
  RedisSettings settings;
  settings.options.address = config.String("redis-addr", "");
  settings.options.username = config.String("redis-username", "");
  settings.password_file = config.String("redis-password-file", "");
  settings.key_file = config.String("cache-key-file", "");
  return settings;
}

absl::Status LoadRedisSecrets(RedisSettings& settings) {
  if (!settings.password_file.empty()) {
    if (auto s = ReadSecretFile("redis-password-file", settings.password_file,
                                &settings.options.password);
        !s.ok()) {
      return s;
    }
    if (settings.options.password.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("redis-password-file: ", settings.password_file, " is empty"));
    }
  }
  if (!settings.key_file.empty()) {
    if (auto s = ReadSecretFile("cache-key-file", settings.key_file, &settings.options.signing_key);
        !s.ok()) {
      return s;
    }
    if (settings.options.signing_key.size() < kMinSigningKeyBytes) {
      return absl::InvalidArgumentError(
          absl::StrCat("cache-key-file: the key must be at least ", kMinSigningKeyBytes, " bytes"));
    }
  }
  return absl::OkStatus();
}

bool LoadRedisSecretsOrLog(RedisSettings& settings) {
  if (absl::Status s = LoadRedisSecrets(settings); !s.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", std::string(s.message())}});
    return false;
  }
  return true;
}

bool CheckRedisAtStart(RedisCache& cache) {
  if (absl::Status s = cache.CheckAtStart(); !s.ok()) {
    Log(LogLevel::kError, "cannot start", {{"error", std::string(s.message())}});
    return false;
  }
  return true;
}

}  // namespace socm
