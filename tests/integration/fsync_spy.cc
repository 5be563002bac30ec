// A preloaded library for the durability test: it lets fsync and fdatasync through to libc
// and then appends "<CLOCK_MONOTONIC ns> <call> <file path>" to the file SOCM_FSYNC_LOG
// names, so the test can see whether a write was on stable storage before it was
// acknowledged. A killed process keeps its writes in the page cache, so only the syncs can
// tell a durable commit from one that a power cut would lose.
//   LD_PRELOAD=libfsync_spy.so SOCM_FSYNC_LOG=/tmp/syncs.log assessment ...
#include <dlfcn.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace {

using SyncFn = int (*)(int);

void Record(const char* call, int fd) {
  const char* log = std::getenv("SOCM_FSYNC_LOG");
  if (log == nullptr) return;
  char link[64];
  char path[1024];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = readlink(link, path, sizeof path - 1);
  path[n < 0 ? 0 : n] = '\0';
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  char line[1200];
  const int len =
      std::snprintf(line, sizeof line, "%lld %s %s\n",
                    static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec, call, path);
  // One write(2) per line with O_APPEND: lines of concurrent callers do not interleave.
  const int out = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (out < 0) return;
  if (len > 0) (void)!write(out, line, static_cast<size_t>(len));
  close(out);
}

SyncFn Next(const char* name) { return reinterpret_cast<SyncFn>(dlsym(RTLD_NEXT, name)); }

}  // namespace

extern "C" int fsync(int fd) {
  static SyncFn real = Next("fsync");
  const int result = real(fd);
  Record("fsync", fd);
  return result;
}

extern "C" int fdatasync(int fd) {
  static SyncFn real = Next("fdatasync");
  const int result = real(fd);
  Record("fdatasync", fd);
  return result;
}
