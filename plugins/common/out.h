/*
 * A buffered writer over the sink with a sticky error: render code writes
 * without checking every call and asks once, at the end, whether all of
 * it reached the sink.  The first failure is reported to the sink, once,
 * prefixed with the plugin's name.
 *
 * plugins/common is plugin-side code shared by the plugins of this tree
 * (linked statically into each); like them it sees only
 * undersigned-plugin.h, never the server.
 */
#ifndef US_OUT_H
#define US_OUT_H

#include <stddef.h>

#include "undersigned-plugin.h"

#define US_OUT_BUFSZ	8192

struct us_out {
	struct us_p_sink	*sink;
	const char		*who;
	int			 failed;
	size_t			 len;
	char			 buf[US_OUT_BUFSZ];
};

void	us_out_init(struct us_out *, struct us_p_sink *, const char *);
void	us_out_write(struct us_out *, const void *, size_t);
void	us_out_puts(struct us_out *, const char *);
void	us_out_printf(struct us_out *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	us_out_fail(struct us_out *, const char *);
int	us_out_finish(struct us_out *);

#endif
