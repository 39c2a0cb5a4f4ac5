/*
 * us_errmsg: a field error as the sign form tells a person about it, in
 * the reader's language.  Validators write one English message for API
 * clients and logs; a form reader needs words that say what to do, in
 * their language, and naming the field as the form labels it.  The
 * error's field and code pick the sentence; anything the table does not
 * know keeps the validator's message.
 */
#ifndef US_ERRMSG_H
#define US_ERRMSG_H

#include "buf.h"
#include "error.h"

void	us_errmsg(struct us_buf *, const char *, const struct us_error *);

#endif
