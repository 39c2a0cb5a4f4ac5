#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail/mail.h"

/*
 * Without SMTP_URL a message becomes a file in var/mail: written under a
 * temporary name, synced, then renamed, so a reader never sees half a
 * message.
 */
int
us_mail_spool(const char *dir, long long id, const struct us_buf *msg,
    char *path, size_t pathlen, struct us_error *err)
{
	char		 tmp[4096], stamp[32];
	struct tm	 tm;
	time_t		 now;
	ssize_t		 n;
	size_t		 off;
	int		 fd, ok;

	if (mkdir(dir, 0750) == -1 && errno != EEXIST)
		return (us_error_set(err, US_E_UNAVAILABLE, NULL, "spool",
		    "cannot create %s: %s", dir, strerror(errno)));
	now = time(NULL);
	gmtime_r(&now, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	(void)snprintf(path, pathlen, "%s/%s-%06lld.eml", dir, stamp, id);
	(void)snprintf(tmp, sizeof(tmp), "%s/.tmp-%06lld", dir, id);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0640)) == -1)
		return (us_error_set(err, US_E_UNAVAILABLE, NULL, "spool",
		    "cannot write %s: %s", tmp, strerror(errno)));
	for (off = 0; off < msg->len; off += (size_t)n) {
		if ((n = write(fd, msg->data + off, msg->len - off)) == -1) {
			if (errno == EINTR) {
				n = 0;
				continue;
			}
			(void)close(fd);
			(void)unlink(tmp);
			return (us_error_set(err, US_E_UNAVAILABLE, NULL,
			    "spool", "cannot write %s: %s", tmp,
			    strerror(errno)));
		}
	}
	ok = fsync(fd) == 0;
	if (close(fd) == -1)
		ok = 0;
	if (!ok || rename(tmp, path) == -1) {
		(void)unlink(tmp);
		return (us_error_set(err, US_E_UNAVAILABLE, NULL, "spool",
		    "cannot store %s: %s", path, strerror(errno)));
	}
	return (US_OK);
}
