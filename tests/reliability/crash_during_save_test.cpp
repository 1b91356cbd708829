// Saving weights while the process fails or dies: a write that fails half-way (the file-size
// limit), death by a signal in the middle of the write, death between the write and the rename,
// and SIGKILL at arbitrary moments of repeated saves. Each time the previous file must still be
// there, intact and loadable; a temporary file may remain after a death, but it never has the
// target's name. The saving runs in a forked child, so the test process itself survives.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#endif

#include <cstddef>
#include <functional>
#include <memory>

#include <dagrad/core/error.hpp>
#include <dagrad/nn/linear.hpp>
#include <dagrad/nn/serialize.hpp>

#include "reliability/support/scratch.hpp"

namespace dagrad::testing {
namespace {

// A model whose file (about 64 KiB) is far above the size limit used below.
std::unique_ptr<nn::Linear> model(std::uint64_t seed) {
  return std::make_unique<nn::Linear>(128, 128, seed);
}

std::vector<double> values(const nn::Module& m) {
  std::vector<double> out;
  for (const auto& p : m.named_parameters()) {
    const auto v = p.tensor.to_vector();
    out.insert(out.end(), v.begin(), v.end());
  }
  return out;
}

struct ChildStatus {
  bool exited = false;
  int code = -1;
  int signal = 0;
};

// Runs body in a forked child, which exits with body's return value (or dies trying).
ChildStatus in_child(const std::function<int()>& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());  // _exit: no gtest or static destructors in the child
  int status = 0;
  ::waitpid(pid, &status, 0);
  ChildStatus s;
  s.exited = WIFEXITED(status);
  if (s.exited) s.code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) s.signal = WTERMSIG(status);
  return s;
}

// The previous file is byte for byte what it was, loads, and gives the old model's values.
void expect_old_file_intact(const ScratchDir& dir, const std::vector<char>& old_bytes,
                            const std::vector<double>& old_values) {
  EXPECT_EQ(file_bytes(dir.file("w.bin")), old_bytes);
  auto loaded = model(99);
  ASSERT_NO_THROW(nn::load_parameters(*loaded, dir.file("w.bin")));
  EXPECT_EQ(values(*loaded), old_values);
}

// Every file but w.bin is a hidden temporary file of it.
void expect_only_temporaries_besides(const ScratchDir& dir) {
  for (const std::string& name : dir.entries())
    if (name != "w.bin") {
      EXPECT_EQ(name.rfind(".w.bin.tmp.", 0), 0u) << name;
    }
}

class CrashDuringSave : public ::testing::Test {
 protected:
  void SetUp() override {
    old_ = model(1);
    nn::save_parameters(*old_, dir_.file("w.bin"));
    old_bytes_ = file_bytes(dir_.file("w.bin"));
    old_values_ = values(*old_);
  }
  ScratchDir dir_;
  std::unique_ptr<nn::Linear> old_;
  std::vector<char> old_bytes_;
  std::vector<double> old_values_;
};

TEST_F(CrashDuringSave, WriteFailingHalfWayThrowsAndKeepsTheOldFile) {
  const ChildStatus s = in_child([&] {
    ::signal(SIGXFSZ, SIG_IGN);  // past the limit, write() fails with EFBIG instead
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      nn::save_parameters(*model(2), dir_.file("w.bin"));
    } catch (const IoError&) {
      return 0;
    } catch (...) {
      return 2;
    }
    return 1;
  });
  EXPECT_TRUE(s.exited);
  EXPECT_EQ(s.code, 0) << "1: the save succeeded, 2: it threw something other than IoError";
  expect_old_file_intact(dir_, old_bytes_, old_values_);
  EXPECT_EQ(dir_.entries(), std::vector<std::string>{"w.bin"}) << "the temporary file remains";
}

TEST_F(CrashDuringSave, DeathInTheMiddleOfTheWriteKeepsTheOldFile) {
  const ChildStatus s = in_child([&] {
    const rlimit limit{4096, 4096};  // SIGXFSZ's default action kills at the limit
    ::setrlimit(RLIMIT_FSIZE, &limit);
    nn::save_parameters(*model(2), dir_.file("w.bin"));
    return 0;
  });
  EXPECT_EQ(s.signal, SIGXFSZ);
  expect_old_file_intact(dir_, old_bytes_, old_values_);
  expect_only_temporaries_besides(dir_);
  // What was left is a partial file, and the loader says so.
  for (const std::string& name : dir_.entries())
    if (name != "w.bin") {
      EXPECT_THROW(nn::load_tensors(dir_.file(name)), IoError);
    }
}

#if defined(__x86_64__)
// Kills the process at its first rename system call (seccomp), i.e. after the temporary file
// was written and flushed, before it replaces the target.
void die_at_rename() {
  sock_filter filter[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_rename, 3, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_renameat, 2, 0),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_renameat2, 1, 0),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
  };
  sock_fprog prog{static_cast<unsigned short>(sizeof filter / sizeof filter[0]), filter};
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      ::prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0)
    ::_exit(3);
}

TEST_F(CrashDuringSave, DeathBetweenWriteAndRenameKeepsTheOldFile) {
  const auto fresh = model(2);
  const ChildStatus s = in_child([&] {
    die_at_rename();
    nn::save_parameters(*fresh, dir_.file("w.bin"));
    return 0;
  });
  ASSERT_NE(s.code, 3) << "seccomp is not available here";
  EXPECT_EQ(s.signal, SIGSYS);
  expect_old_file_intact(dir_, old_bytes_, old_values_);
  expect_only_temporaries_besides(dir_);
  // The temporary file was complete (written and fsync'ed before the rename).
  const std::vector<std::string> names = dir_.entries();
  ASSERT_EQ(names.size(), 2u);
  auto loaded = model(99);
  nn::load_parameters(*loaded, dir_.file(names[0]));  // ".w.bin.tmp.…" sorts before "w.bin"
  EXPECT_EQ(values(*loaded), values(*fresh));
}
#endif

// A child saves two models in turn, forever; it is killed at varying moments. Whenever it dies,
// w.bin is one of the two complete files. The delays only vary where the kill lands; the check
// holds wherever it does.
TEST_F(CrashDuringSave, KilledAtArbitraryMomentsLeavesAWholeFile) {
  const auto other = model(2);
  const std::vector<double> other_values = values(*other);
  for (int round = 0; round < 12; ++round) {
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid == 0) {
      ::close(ready[0]);
      const char go = 'g';
      if (::write(ready[1], &go, 1) != 1) ::_exit(1);
      for (int i = 0;; ++i) nn::save_parameters(i % 2 ? *old_ : *other, dir_.file("w.bin"));
    }
    ::close(ready[1]);
    char go = 0;
    ASSERT_EQ(::read(ready[0], &go, 1), 1);
    ::close(ready[0]);
    ::usleep(static_cast<useconds_t>(300 * round));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    auto loaded = model(99);
    ASSERT_NO_THROW(nn::load_parameters(*loaded, dir_.file("w.bin"))) << "round " << round;
    const std::vector<double> v = values(*loaded);
    EXPECT_TRUE(v == old_values_ || v == other_values) << "round " << round;
    expect_only_temporaries_besides(dir_);
  }
}

}  // namespace
}  // namespace dagrad::testing
