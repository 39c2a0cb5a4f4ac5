/*
 * us_action: what a reader reports after acting on an urgent action or
 * appeal (a letter, an email, a fax, a call, a social post), the rules
 * the report must meet whichever way it arrives (form or JSON), and when
 * an action has expired.
 */
#ifndef US_ACTION_H
#define US_ACTION_H

#include "buf.h"
#include "error.h"
#include "fields.h"

/* The report form's trap for robots, as on the sign form. */
#define US_ACTION_HONEYPOT	"url"

/* The channels in the order forms and counts list them. */
extern const char *const	us_action_channels[];

int	us_action_validate(const struct us_fields *, struct us_fields *,
	    struct us_errlist *);
int	us_action_expired(const char *, const char *);
const char *us_action_channel_label(const char *);
void	us_action_number(struct us_buf *, const char *, unsigned long);

#endif
