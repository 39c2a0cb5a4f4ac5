#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plugin/plugin.h"

static int	cache_read(const char *, struct us_buf *);
static int	cache_write(const char *, const char *, const struct us_buf *);
static void	cache_prune(const char *, const char *, const char *);
static int	mkdirs(const char *);

static int
mkdirs(const char *dir)
{
	char	path[4096], *p;

	(void)snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) == -1 && errno != EEXIST)
			return (US_FAIL);
		*p = '/';
	}
	return (mkdir(path, 0750) == 0 || errno == EEXIST ? US_OK : US_FAIL);
}

static int
cache_read(const char *path, struct us_buf *out)
{
	char	chunk[65536];
	ssize_t	n;
	int	fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return (US_FAIL);
	us_buf_reset(out);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		us_buf_append(out, chunk, (size_t)n);
	(void)close(fd);
	return (n == 0 ? US_OK : US_FAIL);
}

/* Whole or not at all: a reader never sees half a file. */
static int
cache_write(const char *dir, const char *path, const struct us_buf *b)
{
	char	tmp[4200];
	size_t	off;
	ssize_t	n;
	int	fd, ok;

	/* Unique per call: task threads of one worker share its pid. */
	(void)snprintf(tmp, sizeof(tmp), "%s/.tmp.XXXXXX", dir);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1)
		return (US_FAIL);
	ok = 1;
	for (off = 0; ok && off < b->len; off += (size_t)n) {
		if ((n = write(fd, b->data + off, b->len - off)) <= 0)
			ok = 0;
	}
	if (close(fd) == -1)
		ok = 0;
	if (!ok || rename(tmp, path) == -1) {
		(void)unlink(tmp);
		return (US_FAIL);
	}
	return (US_OK);
}

/* Earlier revisions of the same file are of no use to anyone. */
static void
cache_prune(const char *dir, const char *prefix, const char *keep)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[4200];

	if ((d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    strcmp(de->d_name, keep) == 0 ||
		    strcmp(de->d_name + strlen(de->d_name) - 5, ".lock") == 0)
			continue;
		(void)snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		(void)unlink(path);
	}
	closedir(d);
}

/*
 * A rendered file from the disk cache that all workers share, or made
 * now.  The lock (one per statement and format) makes a spike of
 * downloads render once: the first request renders while the others wait
 * for the lock, then find the file.  A cache that cannot be written is
 * no reason to fail the download.
 */
int
us_cache_fetch(const char *dir, const char *key, const char *name,
    struct us_buf *out, us_cache_make make, void *arg, struct us_error *err)
{
	char	path[4200], lock[4200], prefix[300];
	int	fd, rc;

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (cache_read(path, out))
		return (US_OK);
	if (!mkdirs(dir))
		return (make(arg, out, err));
	(void)snprintf(lock, sizeof(lock), "%s/%s.lock", dir, key);
	if ((fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) == -1)
		return (make(arg, out, err));
	if (flock(fd, LOCK_EX) == 0 && cache_read(path, out)) {
		(void)close(fd);
		return (US_OK);
	}
	us_buf_reset(out);
	if ((rc = make(arg, out, err)) && cache_write(dir, path, out)) {
		(void)snprintf(prefix, sizeof(prefix), "%s.", key);
		cache_prune(dir, prefix, name);
	}
	(void)close(fd);
	return (rc);
}

/* The size of a cached file, without reading it: US_FAIL when not there. */
int
us_cache_size(const char *dir, const char *name, size_t *size)
{
	struct stat	st;
	char		path[4200];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return (US_FAIL);
	*size = (size_t)st.st_size;
	return (US_OK);
}

/*
 * A plugin that refused a revision refuses it again: the refusal is kept
 * next to the files, as an empty NAME.refused, so that a page listing
 * the files does not render it again on every view.  Like a file, it
 * replaces the key's earlier revisions, and goes with the next one.
 */
void
us_cache_refuse(const char *dir, const char *key, const char *name)
{
	char	path[4200], marker[400], prefix[300];
	int	fd;

	if (!mkdirs(dir))
		return;
	(void)snprintf(marker, sizeof(marker), "%s.refused", name);
	(void)snprintf(path, sizeof(path), "%s/%s", dir, marker);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0640)) == -1)
		return;
	(void)close(fd);
	(void)snprintf(prefix, sizeof(prefix), "%s.", key);
	cache_prune(dir, prefix, marker);
}

/* Whether us_cache_refuse() was told about this file. */
int
us_cache_refused(const char *dir, const char *name)
{
	struct stat	st;
	char		path[4200];

	(void)snprintf(path, sizeof(path), "%s/%s.refused", dir, name);
	return (stat(path, &st) == 0);
}
