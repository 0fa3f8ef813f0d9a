// Small wrappers for glibc calls that Swift's Glibc module does not expose (they need _GNU_SOURCE).
#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec, atomically (no other thread's child inherits them).
int selfdebug_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int selfdebug_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

#endif
