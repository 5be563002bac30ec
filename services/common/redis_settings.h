#pragma once
// The Redis settings every process reads the same way: --redis-addr, --redis-username,
// --redis-password-file (the password, from a file or a mounted Secret) and
// --cache-key-file (the key that signs cached values; every replica of a service needs
// the same one to share entries). Read before Config::Finish, load the files after:
//   socm::RedisSettings redis = socm::ReadRedisSettings(config);
//   if (!socm::FinishConfig(config)) return 2;
//   if (!socm::LoadRedisSecretsOrLog(redis)) return 2;
//   socm::RedisCache cache(redis.options, registry, "report_redis");
//   if (!socm::CheckRedisAtStart(cache)) return 2;

#include <string>

#include "absl/status/status.h"
#include "services/common/config.h"
#include "services/common/redis_cache.h"

namespace socm {

struct RedisSettings {
  RedisOptions options;
  std::string password_file;
  std::string key_file;
};

RedisSettings ReadRedisSettings(Config& config);
// Reads the files named; an unreadable file, an empty password or a key shorter than
// kMinSigningKeyBytes is an error that names the setting.
absl::Status LoadRedisSecrets(RedisSettings& settings);
// The two steps of a main: false after logging why the process cannot start.
bool LoadRedisSecretsOrLog(RedisSettings& settings);
bool CheckRedisAtStart(RedisCache& cache);

}  // namespace socm
