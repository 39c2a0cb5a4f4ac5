/*
 * us_log: one logging entry point for code that must not know where logs
 * go.  The Kore module routes it to kore_log, the CLI to stderr.
 */
#ifndef US_LOG_H
#define US_LOG_H

#include <syslog.h>

typedef void	(*us_log_fn)(int, const char *);

void	us_log_set(us_log_fn);
void	us_log(int, const char *, ...) __attribute__((format(printf, 2, 3)));

#endif
