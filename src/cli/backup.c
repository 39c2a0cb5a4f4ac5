#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "core/token.h"
#include "cli/cli.h"

static int	backup_dump(const char *, const char *);
static int	backup_digest(const char *, char *, long long *);
static int	backup_write_sum(const char *, const char *, const char *);

/*
 * pg_dump in its own process, custom format (compressed, restorable
 * table by table with pg_restore).  Its own messages reach stderr
 * unchanged: they say best what went wrong.
 */
static int
backup_dump(const char *conninfo, const char *path)
{
	char	*argv[6], file[4300], db[8192];
	pid_t	 pid;
	int	 status;

	(void)snprintf(file, sizeof(file), "--file=%s", path);
	if ((size_t)snprintf(db, sizeof(db), "--dbname=%s", conninfo) >=
	    sizeof(db)) {
		fprintf(stderr, "undersigned: backup: DATABASE_URL is too long\n");
		return (US_FAIL);
	}
	argv[0] = "pg_dump";
	argv[1] = "--format=custom";
	argv[2] = "--no-password";
	argv[3] = file;
	argv[4] = db;
	argv[5] = NULL;
	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "undersigned: backup: fork: %s\n",
		    strerror(errno));
		return (US_FAIL);
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "undersigned: backup: cannot run pg_dump: %s "
		    "(install the PostgreSQL client of the server's version)\n",
		    strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR)
			return (US_FAIL);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return (US_OK);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 127)
		fprintf(stderr, "undersigned: backup failed: pg_dump exited "
		    "with status %d (its message is above)\n",
		    WEXITSTATUS(status));
	else if (!WIFEXITED(status))
		fprintf(stderr, "undersigned: backup failed: pg_dump was "
		    "killed by signal %d\n", WTERMSIG(status));
	return (US_FAIL);
}

static int
backup_digest(const char *path, char *hex, long long *size)
{
	EVP_MD_CTX	*ctx;
	unsigned char	 buf[65536], md[US_HASH_LEN];
	unsigned int	 mdlen;
	ssize_t		 n;
	int		 fd, ok;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (US_FAIL);
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		(void)close(fd);
		return (US_FAIL);
	}
	*size = 0;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	while (ok && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n == -1) {
			ok = errno == EINTR;
			continue;
		}
		ok = EVP_DigestUpdate(ctx, buf, (size_t)n) == 1;
		*size += n;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 &&
	    mdlen == US_HASH_LEN;
	EVP_MD_CTX_free(ctx);
	(void)close(fd);
	if (ok)
		us_hex(md, US_HASH_LEN, hex);
	return (ok ? US_OK : US_FAIL);
}

/* In sha256sum's format, so `sha256sum -c` checks a copy anywhere. */
static int
backup_write_sum(const char *path, const char *hex, const char *name)
{
	FILE	*fp;
	int	 ok;

	if ((fp = fopen(path, "wx")) == NULL)
		return (US_FAIL);
	ok = fprintf(fp, "%s  %s\n", hex, name) > 0;
	ok = fclose(fp) == 0 && ok;
	return (ok ? US_OK : US_FAIL);
}

/*
 * bin/undersigned backup DIR: DIR/undersigned-YYYYMMDDTHHMMSSZ.dump and
 * its .sha256 next to it.  The dump is written under a temporary name
 * and renamed when pg_dump has succeeded, so a file with the final name
 * is always a whole backup.
 */
int
us_cli_backup(const struct us_config *cfg, int argc, char **argv)
{
	struct tm	 tm;
	time_t		 now;
	char		 stamp[32], name[64], tmp[4220], path[4200];
	char		 sum[4220], hex[US_HASH_LEN * 2 + 1];
	long long	 size;

	if (argc != 2) {
		fprintf(stderr, "usage: undersigned backup DIR\n");
		return (2);
	}
	if (mkdir(argv[1], 0700) == -1 && errno != EEXIST) {
		fprintf(stderr, "undersigned: backup: cannot create %s: %s\n",
		    argv[1], strerror(errno));
		return (1);
	}
	now = time(NULL);
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
		return (1);
	(void)snprintf(name, sizeof(name), "undersigned-%s.dump", stamp);
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", argv[1], name) >=
	    sizeof(path)) {
		fprintf(stderr, "undersigned: backup: %s: path too long\n",
		    argv[1]);
		return (1);
	}
	(void)snprintf(tmp, sizeof(tmp), "%s.partial", path);
	(void)snprintf(sum, sizeof(sum), "%s.sha256", path);
	if (access(path, F_OK) == 0) {
		fprintf(stderr, "undersigned: backup: %s exists already; "
		    "one backup a second at most\n", path);
		return (1);
	}

	if (!backup_dump(cfg->conninfo, tmp)) {
		(void)unlink(tmp);
		return (1);
	}
	if (!backup_digest(tmp, hex, &size) || rename(tmp, path) == -1 ||
	    !backup_write_sum(sum, hex, name)) {
		fprintf(stderr, "undersigned: backup: cannot finish %s: %s\n",
		    path, strerror(errno));
		(void)unlink(tmp);
		(void)unlink(path);
		return (1);
	}
	printf("%s\t%lld bytes\tsha256 %s\n", path, size, hex);
	return (0);
}
