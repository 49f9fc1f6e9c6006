// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* pipe2 */
#include "basic/pager.h"

#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "basic/log.h"

static const char *pager_command(void)
{
	const char *p = getenv("DEVSNAP_PAGER");

	if (!p)
		p = getenv("PAGER");
	if (!p)
		p = "less";
	return *p && strcmp(p, "cat") ? p : NULL;
}

/* In the child: the pipe as standard input, then the pager (through the
 * shell, since $PAGER may carry arguments). */
static void exec_pager(int in, const char *cmd)
{
	if (dup2(in, STDIN_FILENO) < 0)
		_exit(EXIT_FAILURE);
	setenv("LESS", "FRSXMK", 0);
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

pid_t pager_open(void)
{
	const char *cmd = pager_command();
	int fd[2];
	pid_t pid;

	if (!cmd || !isatty(STDOUT_FILENO))
		return 0;
	if (pipe2(fd, O_CLOEXEC) < 0) {
		log_warn("cannot start the pager: %s", strerror(errno));
		return 0;
	}
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		exec_pager(fd[0], cmd);
	if (pid < 0) {
		log_warn("cannot start the pager: %s", strerror(errno));
		close(fd[0]);
		close(fd[1]);
		return 0;
	}
	dup2(fd[1], STDOUT_FILENO); /* cannot fail: both are open */
	close(fd[0]);
	close(fd[1]);
	/* SIGPIPE stays deadly: a user who quits the pager early is done, and
	 * wants no "cannot write" message. */
	return pid;
}

void pager_close(pid_t pid)
{
	if (!pid)
		return;
	fflush(stdout);
	fclose(stdout);
	waitpid(pid, NULL, 0);
}
