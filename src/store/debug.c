// SPDX-License-Identifier: MIT
/*
 * devsnap debug ID: a dump in gdb (or drgn), as `coredumpctl debug` opens
 * a core.  A saved dump is decompressed into an unnamed file in $TMPDIR
 * (O_TMPFILE, else a mkstemp file unlinked at once), mode 0600, that the
 * debugger opens through /proc/self/fd: nothing is left behind, whatever
 * happens to either process.
 */
#define _GNU_SOURCE /* O_TMPFILE */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wordexp.h>

#include "basic/cleanup.h"
#include "basic/cli.h"
#include "basic/fdio.h"
#include "basic/log.h"
#include "basic/unzstd.h"
#include "store/store.h"
#include "store/verbs.h"

static const char usage_text[] =
	"Usage: devsnap debug [OPTIONS...] ID\n\n"
	"Opens a dump in a debugger: gdb -c DUMP, or drgn -c DUMP.  ID is a saved\n"
	"dump's ID (as 'devsnap list' shows; -1 is the newest) or a dump file.  A\n"
	"saved dump is decompressed into a private temporary file in $TMPDIR\n"
	"(default /var/tmp), mode 0600, gone when the debugger exits.  The exit\n"
	"status is the debugger's.\n\n"
	"  --debugger CMD            gdb (the default), drgn, or another program\n"
	"                            that takes -c CORE\n"
	"  -A, --debugger-arguments ARGS\n"
	"                            more arguments, after -c CORE, split as a\n"
	"                            shell would (quotes; no command substitution)\n"
	"  --store DIR               the store (default $DEVSNAP_STORE, else "
	STORE_DEFAULT_DIR ")\n";

struct debug_args {
	const char *id, *debugger, *extra, *store;
};

enum { OPT_DEBUGGER = 0x300 };

static int parse_args(struct debug_args *a, int argc, char **argv)
{
	static const struct option options[] = {
		{ "debugger", required_argument, NULL, OPT_DEBUGGER },
		{ "debugger-arguments", required_argument, NULL, 'A' },
		{ "store", required_argument, NULL, CLI_OPT_STORE },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	_cleanup_free_ char **args = cli_operands_last(&argc, argv, options);
	int c;

	if (!args)
		return log_error_errno(-ENOMEM, "cannot parse the arguments");
	optind = 1;
	while ((c = getopt_long(argc, args, "A:h", options, NULL)) != -1) {
		switch (c) {
		case OPT_DEBUGGER: a->debugger = optarg; break;
		case 'A': a->extra = optarg; break;
		case CLI_OPT_STORE: a->store = optarg; break;
		case 'h': return fputs(usage_text, stdout), 1;
		default: return log_error("see 'devsnap debug --help'");
		}
	}
	if (argc - optind != 1)
		return log_error("give one ID; see 'devsnap debug --help'");
	a->id = args[optind];
	if (!a->store)
		a->store = getenv("DEVSNAP_STORE");
	return 0;
}

/* An unnamed file in $TMPDIR (default /var/tmp, as coredumpctl), 0600. */
static int private_tmpfile(void)
{
	const char *dir = getenv("TMPDIR") ?: "/var/tmp";
	_cleanup_free_ char *path = NULL;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);

	if (fd >= 0 || (errno != EOPNOTSUPP && errno != EISDIR))
		return fd >= 0 ? fd : log_error_errno(-errno, "cannot make a file in %s", dir);
	if (asprintf(&path, "%s/devsnap-debug-XXXXXX", dir) < 0)
		return log_error_errno(-ENOMEM, "cannot make a file in %s", dir);
	fd = mkostemp(path, O_CLOEXEC); /* mode 0600 */
	if (fd < 0)
		return log_error_errno(-errno, "cannot make a file in %s", dir);
	unlink(path);
	return fd;
}

static int sink_fd(void *ctx, const void *buf, size_t n)
{
	int r = write_all(*(int *)ctx, buf, n);

	return r < 0 ? log_error_errno(r, "cannot write the temporary copy") : 0;
}

/* The saved dump id names, decompressed into a private file: an fd. */
static int saved_dump(const struct debug_args *a)
{
	_cleanup_(store_close) struct store s = { .dirfd = -1 };
	_cleanup_(store_list_free) struct store_list l = { 0 };
	_cleanup_close_ int zfd = -1, fd = -1;
	size_t i;
	int r = store_open(&s, a->store, false);

	if (r == 0)
		r = store_list(&s, &l);
	if (r == 0)
		r = store_resolve(&l, a->id, &i);
	if (r < 0)
		return r;
	zfd = store_open_dump(&s, l.entries[i].name);
	if (zfd < 0)
		return zfd;
	fd = private_tmpfile();
	if (fd < 0)
		return fd;
	r = unzstd_bounded(zfd, l.entries[i].name, l.entries[i].size, sink_fd, &fd);
	return r < 0 ? r : TAKE_FD(fd);
}

/* A dump file as it is, else a saved dump. */
static int open_dump(const struct debug_args *a)
{
	int fd = open(a->id, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;

	if (fd < 0 && errno != ENOENT)
		return log_error_errno(-errno, "cannot open %s", a->id);
	if (fd < 0)
		return saved_dump(a);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return log_error("%s is not a regular file", a->id);
	}
	return fd;
}

/* In the child: DEBUGGER -c /proc/self/fd/N [ARGS...]: the arguments last,
 * since drgn takes the first of them for a script and the rest for its. */
static void exec_debugger(const char *debugger, const wordexp_t *w, int fd)
{
	char core[32];
	char **argv = calloc(w->we_wordc + 4, sizeof(*argv));
	size_t n = 0;

	if (!argv || fcntl(fd, F_SETFD, 0) < 0)
		_exit(127);
	snprintf(core, sizeof(core), "/proc/self/fd/%d", fd);
	argv[n++] = (char *)debugger;
	argv[n++] = "-c";
	argv[n++] = core;
	for (size_t i = 0; i < w->we_wordc; i++)
		argv[n++] = w->we_wordv[i];
	execvp(debugger, argv);
	fprintf(stderr, "devsnap: cannot run %s: %s\n", debugger, strerror(errno));
	_exit(127);
}

/* The debugger's exit status; 128 + N when signal N ended it. */
static int run_debugger(const char *debugger, const wordexp_t *w, int fd)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status;
	pid_t pid;

	fflush(stdout);
	/* ^C belongs to the debugger, as with coredumpctl. */
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		exec_debugger(debugger, w, fd);
	}
	if (pid < 0)
		status = log_error_errno(-errno, "cannot start %s", debugger);
	else if (waitpid(pid, &status, 0) < 0)
		status = log_error_errno(-errno, "cannot wait for %s", debugger);
	else
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	return status;
}

int verb_debug(int argc, char **argv)
{
	struct debug_args a = { .debugger = "gdb" };
	_cleanup_close_ int fd = -1;
	wordexp_t w = { 0 };
	int r = parse_args(&a, argc, argv);

	if (r)
		return r < 0 ? r : 0;
	if (wordexp(a.extra ? a.extra : "", &w, WRDE_NOCMD | WRDE_UNDEF) != 0)
		return log_error("--debugger-arguments: cannot split '%s' (unbalanced quotes, "
				 "or a command substitution)", a.extra);
	fd = open_dump(&a);
	r = fd < 0 ? fd : run_debugger(a.debugger, &w, fd);
	wordfree(&w);
	return r;
}
