#include <stdarg.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

static void	log_stderr(int, const char *);

static us_log_fn	log_fn = log_stderr;

static void
log_stderr(int prio, const char *msg)
{
	static const char	*names[] = { "emerg", "alert", "crit", "error",
				    "warning", "notice", "info", "debug" };
	char			 when[32];
	struct tm		 tm;
	time_t			 now;

	now = time(NULL);
	gmtime_r(&now, &tm);
	(void)strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(stderr, "%s [%s] %s\n", when,
	    prio >= 0 && prio <= 7 ? names[prio] : "log", msg);
	fflush(stderr);
}

void
us_log_set(us_log_fn fn)
{
	log_fn = fn != NULL ? fn : log_stderr;
}

void
us_log(int prio, const char *fmt, ...)
{
	va_list	ap;
	char	msg[2048];

	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_fn(prio, msg);
}
