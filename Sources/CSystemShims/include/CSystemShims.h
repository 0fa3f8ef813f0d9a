// Small wrappers for glibc calls that Swift's Glibc module does not expose (they need _GNU_SOURCE).
#ifndef C_SYSTEM_SHIMS_H
#define C_SYSTEM_SHIMS_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec, atomically (no other thread's child inherits them).
int selfdebug_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int selfdebug_spawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// Closes every descriptor from `from` up in the child (glibc 2.34+): a child never inherits a
/// socket or file selfdebug has open (a model connection, another run's pipe).
int selfdebug_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

/// A child in a session of its own (so its group can be killed), with no signal blocked and every
/// signal at its default (Foundation.Process children inherit a blocked SIGTERM/SIGINT).
int selfdebug_spawnattr_clean_session(posix_spawnattr_t *attributes);

#endif
