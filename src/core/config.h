/*
 * us_config: the service is configured by environment variables (see
 * README).  They are checked strictly at start-up: a bad value, or an
 * UNDERSIGNED_* name we do not know, stops start-up with the name given.
 */
#ifndef US_CONFIG_H
#define US_CONFIG_H

#include "error.h"
#include "netaddr.h"

struct us_config {
	char	*home;		/* project directory: assets/, var/ ... */
	char	*listen;	/* numeric address Kore binds */
	int	 port;
	char	*database_url;	/* libpq conninfo; NULL: private cluster */
	char	*conninfo;	/* what is actually used */
	char	*smtp_url;	/* NULL: write files to var/mail */
	char	*public_url;	/* no trailing slash */
	char	*mail_from;
	char	*mail_dir;
	char	*plugin_dir;	/* output plugins (*.so) */
	int	 mail_retry;	/* first retry delay, seconds */
	int	 rate_limits;	/* 0: UNDERSIGNED_RATE_LIMITS=off (load tests) */
	int	 mail_per_minute;	/* verification mail, all statements */
	int	 mail_per_statement;	/* the same, per statement */
	char	*trusted_proxies;	/* as given */
	struct us_nets trusted;	/* proxies whose X-Forwarded-For we believe */
	int	 retention_months; /* contact data kept after closing */
	int	 mail_poll_ms;	/* the mail sender's poll without NOTIFY */
	int	 smtp_connections; /* the mail sender's, at once */
	int	 page_check_ms;	/* cached pages: revision read this often */
};

int	us_config_load(struct us_config *, const char *, struct us_errlist *);
void	us_config_free(struct us_config *);

#endif
