#include "services/common/log.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <thread>

namespace socm {
namespace {

// Lines go to stderr from one thread, a batch per write: one write(2) and flush per line
// was a tenth of the gateway's CPU under load (one access line per request). A line waits at
// most kLinger; at exit everything pending is written, and lines logged after that (a static
// destructor's) are written at once.
class LogWriter {
 public:
  static LogWriter& Get() {
    // Never destroyed: a line may be logged while statics are torn down.
    static LogWriter* writer = [] {
      auto* w = new LogWriter();
      std::atexit([] { Get().Stop(); });
      return w;
    }();
    return *writer;
  }

  void Write(const std::string& line) {
    std::unique_lock<std::mutex> lock(mu_);
    if (stopped_) {
      std::fwrite(line.data(), 1, line.size(), stderr);
      std::fflush(stderr);
      return;
    }
    // A stderr nobody drains: the caller waits rather than the memory growing.
    room_.wait(lock, [this] { return pending_.size() < kMaxPending || stopped_; });
    const bool was_empty = pending_.empty();
    pending_ += line;
    if (was_empty) ready_.notify_one();
  }

 private:
  static constexpr size_t kMaxPending = 4 << 20;
  static constexpr std::chrono::milliseconds kLinger{2};

  LogWriter() : thread_([this] { Run(); }) {}

  void Run() {
    std::string batch;
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      ready_.wait(lock, [this] { return !pending_.empty() || stopping_; });
      if (!stopping_) ready_.wait_for(lock, kLinger, [this] { return stopping_; });
      batch.swap(pending_);
      room_.notify_all();
      if (batch.empty() && stopping_) return;
      lock.unlock();
      std::fwrite(batch.data(), 1, batch.size(), stderr);
      std::fflush(stderr);
      batch.clear();
      lock.lock();
    }
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    ready_.notify_one();
    thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    // Lines logged between the writer's last batch and now.
    std::fwrite(pending_.data(), 1, pending_.size(), stderr);
    std::fflush(stderr);
    pending_.clear();
    stopped_ = true;
    room_.notify_all();
  }

  std::mutex mu_;
  std::condition_variable ready_;
  std::condition_variable room_;
  std::string pending_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread thread_;
};

std::string& ServiceName() {
  static std::string name = "socm";
  return name;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "info";
}

}  // namespace

void SetLogService(std::string service) { ServiceName() = std::move(service); }

std::string NowRfc3339() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm utc{};
  gmtime_r(&secs, &utc);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis));
  return buf;
}

void Log(LogLevel level, std::string_view msg, const nlohmann::json& fields) {
  nlohmann::json line = {{"time", NowRfc3339()},
                         {"level", LevelName(level)},
                         {"service", ServiceName()},
                         {"msg", msg}};
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  }
  // Replace invalid UTF-8 instead of throwing: a log line must never crash the caller.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  LogWriter::Get().Write(text);
}

}  // namespace socm
