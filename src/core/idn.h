/*
 * us_idn: international domain names, IDNA 2008 (libidn2).  People see
 * and type a domain in its own script (правозащита.рф); DNS and SMTP get
 * its A-label form (xn--80aaagzh3bfj0a9e.xn--p1ai).  Values are stored
 * in Unicode, lower case and NFC, so that either spelling of an address
 * is the same address, and converted to A-labels only on the way out.
 *
 * The local part of an email address (before the @) is not a domain: in
 * anything but ASCII it needs SMTPUTF8 end to end, which the relay in
 * front of us may not offer.  Such addresses are refused at the door
 * (us_check_email, code "email_local_part") rather than accepted and
 * then never delivered.
 */
#ifndef US_IDN_H
#define US_IDN_H

#include "buf.h"
#include "error.h"

#define US_IDN_MAX	253	/* longest domain name, in A-label octets */

int	us_idn_to_ascii(struct us_buf *, const char *);
int	us_idn_to_unicode(struct us_buf *, const char *);
int	us_idn_email_ascii(struct us_buf *, const char *);

#endif
