#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "mime.h"
#include "ratelimit.h"
#include "relay.h"
#include "validate.h"

extern char	**environ;

static const char *const known_vars[] = {
	"UNDERSIGNED_HOME", "UNDERSIGNED_LISTEN",
	"UNDERSIGNED_MAIL_RETRY_SECONDS", "UNDERSIGNED_PLUGIN_DIR",
	"UNDERSIGNED_RATE_LIMITS", "UNDERSIGNED_TRUSTED_PROXIES",
	"UNDERSIGNED_MAIL_PER_MINUTE",
	"UNDERSIGNED_MAIL_PER_STATEMENT_PER_MINUTE",
	"UNDERSIGNED_RETENTION_MONTHS",
	"UNDERSIGNED_MAIL_POLL_MS", "UNDERSIGNED_SMTP_CONNECTIONS",
	"UNDERSIGNED_PAGE_CHECK_MS",
	NULL
};

/* Where a proxy on this machine is the only one we believe by default. */
#define TRUSTED_DEFAULT	"127.0.0.0/8, ::1"

static int	config_int(const char *, const char *, int, int, int, int *,
		    struct us_errlist *);
static int	config_url(const char *, const char *, const char *const *,
		    struct us_errlist *);
static char	*config_listen(const char *, struct us_errlist *);

static int
config_int(const char *name, const char *v, int def, int min, int max,
    int *out, struct us_errlist *errs)
{
	char	*end;
	long	 n;

	if (v == NULL || *v == '\0') {
		*out = def;
		return (US_OK);
	}
	n = strtol(v, &end, 10);
	if (*v < '0' || *v > '9' || *end != '\0' || n < min || n > max)
		return (us_error_set(us_errlist_add(errs), US_E_INVALID, name,
		    "bad_config", "%s must be a whole number from %d to %d, "
		    "not \"%s\".", name, min, max, v));
	*out = (int)n;
	return (US_OK);
}

/* scheme://host[:port][/path], with one of the given schemes. */
static int
config_url(const char *name, const char *v, const char *const *schemes,
    struct us_errlist *errs)
{
	const char	*host;
	size_t		 i, n;

	for (i = 0; schemes[i] != NULL; i++) {
		n = strlen(schemes[i]);
		if (strncasecmp(v, schemes[i], n) == 0 &&
		    strncmp(v + n, "://", 3) == 0)
			break;
	}
	host = schemes[i] != NULL ? v + strlen(schemes[i]) + 3 : NULL;
	if (host == NULL || *host == '\0' || *host == '/' || *host == ':' ||
	    strpbrk(v, " \t\r\n\"<>") != NULL)
		return (us_error_set(us_errlist_add(errs), US_E_INVALID, name,
		    "bad_config", "%s must look like %s://host:port, not "
		    "\"%s\".", name, schemes[0], v));
	return (US_OK);
}

/*
 * A numeric IPv4 or IPv6 address: a name would be resolved once at start
 * by whoever happens to answer, and a port belongs in PORT.
 */
static char *
config_listen(const char *v, struct us_errlist *errs)
{
	unsigned char	 addr[sizeof(struct in6_addr)];

	if (v == NULL || *v == '\0')
		return (us_strdup("127.0.0.1"));
	if (inet_pton(AF_INET, v, addr) == 1 ||
	    inet_pton(AF_INET6, v, addr) == 1)
		return (us_strdup(v));
	us_error_set(us_errlist_add(errs), US_E_INVALID, "UNDERSIGNED_LISTEN",
	    "bad_config", "UNDERSIGNED_LISTEN must be a numeric IPv4 or IPv6 "
	    "address such as 127.0.0.1, 0.0.0.0 or ::1 (the port is PORT), "
	    "not \"%s\".", v);
	return (us_strdup("127.0.0.1"));
}

int
us_config_load(struct us_config *c, const char *home, struct us_errlist *errs)
{
	static const char *const web[] = { "http", "https", NULL };
	static const char *const mail[] = { "smtp", "smtps", NULL };
	struct us_buf	 b;
	struct us_error	 perr;
	enum us_relay_tls tls;
	const char	*v;
	char		 addr[256], **e;
	size_t		 i, len;

	memset(c, 0, sizeof(*c));
	c->home = us_strdup(home);

	/* A misspelt setting must not be silently ignored. */
	for (e = environ; *e != NULL; e++) {
		if (strncmp(*e, "UNDERSIGNED_", 12) != 0)
			continue;
		len = strcspn(*e, "=");
		for (i = 0; known_vars[i] != NULL; i++) {
			if (strlen(known_vars[i]) == len &&
			    strncmp(known_vars[i], *e, len) == 0)
				break;
		}
		if (known_vars[i] == NULL)
			us_error_set(us_errlist_add(errs), US_E_INVALID, NULL,
			    "bad_config", "unknown setting %.*s (known: PORT, "
			    "DATABASE_URL, SMTP_URL, PUBLIC_URL, MAIL_FROM, "
			    "UNDERSIGNED_HOME, UNDERSIGNED_LISTEN, "
			    "UNDERSIGNED_MAIL_RETRY_SECONDS, "
			    "UNDERSIGNED_PLUGIN_DIR, UNDERSIGNED_RATE_LIMITS, "
			    "UNDERSIGNED_TRUSTED_PROXIES, "
			    "UNDERSIGNED_MAIL_PER_MINUTE, "
			    "UNDERSIGNED_MAIL_PER_STATEMENT_PER_MINUTE, "
			    "UNDERSIGNED_RETENTION_MONTHS, "
			    "UNDERSIGNED_MAIL_POLL_MS, "
			    "UNDERSIGNED_SMTP_CONNECTIONS, "
			    "UNDERSIGNED_PAGE_CHECK_MS)",
			    (int)len, *e);
	}

	(void)config_int("PORT", getenv("PORT"), 8080, 1, 65535, &c->port,
	    errs);
	c->listen = config_listen(getenv("UNDERSIGNED_LISTEN"), errs);
	(void)config_int("UNDERSIGNED_MAIL_RETRY_SECONDS",
	    getenv("UNDERSIGNED_MAIL_RETRY_SECONDS"), 10, 1, 3600,
	    &c->mail_retry, errs);
	(void)config_int("UNDERSIGNED_MAIL_PER_MINUTE",
	    getenv("UNDERSIGNED_MAIL_PER_MINUTE"), US_MAIL_PER_MINUTE, 1,
	    100000, &c->mail_per_minute, errs);
	(void)config_int("UNDERSIGNED_MAIL_PER_STATEMENT_PER_MINUTE",
	    getenv("UNDERSIGNED_MAIL_PER_STATEMENT_PER_MINUTE"),
	    US_MAIL_PER_STATEMENT_MINUTE, 1, 100000, &c->mail_per_statement,
	    errs);

	c->rate_limits = 1;
	if ((v = getenv("UNDERSIGNED_RATE_LIMITS")) != NULL && *v != '\0') {
		if (strcmp(v, "off") == 0)
			c->rate_limits = 0;
		else if (strcmp(v, "on") != 0)
			us_error_set(us_errlist_add(errs), US_E_INVALID,
			    "UNDERSIGNED_RATE_LIMITS", "bad_config",
			    "UNDERSIGNED_RATE_LIMITS must be \"on\" (the "
			    "default) or \"off\" (load tests only), not "
			    "\"%s\".", v);
	}
	if ((v = getenv("UNDERSIGNED_TRUSTED_PROXIES")) == NULL || *v == '\0')
		v = TRUSTED_DEFAULT;
	c->trusted_proxies = us_strdup(v);
	us_error_clear(&perr);
	if (!us_nets_parse(v, &c->trusted, &perr))
		*us_errlist_add(errs) = perr;
	/* Up to a century: "never" is not a retention period. */
	(void)config_int("UNDERSIGNED_RETENTION_MONTHS",
	    getenv("UNDERSIGNED_RETENTION_MONTHS"), 12, 1, 1200,
	    &c->retention_months, errs);
	/*
	 * The mail sender wakes on NOTIFY, and at least this often: a sign
	 * transaction need not notify for every message it queues.
	 */
	(void)config_int("UNDERSIGNED_MAIL_POLL_MS",
	    getenv("UNDERSIGNED_MAIL_POLL_MS"), 1000, 50, 60000,
	    &c->mail_poll_ms, errs);
	/* Relays limit connections per client; 16 is what sender.c keeps. */
	(void)config_int("UNDERSIGNED_SMTP_CONNECTIONS",
	    getenv("UNDERSIGNED_SMTP_CONNECTIONS"), 4, 1, 16,
	    &c->smtp_connections, errs);

	/*
	 * How long a worker serves a cached public page before it reads
	 * the statement's revision again: the most a count may lag.  0
	 * reads it on every request (the test suite: a change is seen at
	 * once), at the cost of a query per page view.
	 */
	(void)config_int("UNDERSIGNED_PAGE_CHECK_MS",
	    getenv("UNDERSIGNED_PAGE_CHECK_MS"), 1000, 0, 60000,
	    &c->page_check_ms, errs);

	us_buf_init(&b);
	if ((v = getenv("DATABASE_URL")) != NULL && *v != '\0') {
		c->database_url = us_strdup(v);
		c->conninfo = us_strdup(v);
	} else {
		us_buf_appendf(&b, "host=%s/var/pg dbname=undersigned user=undersigned", home);
		c->conninfo = us_buf_release(&b);
	}

	if ((v = getenv("SMTP_URL")) != NULL && *v != '\0') {
		if (config_url("SMTP_URL", v, mail, errs)) {
			if (us_relay_tls(v, &tls))
				c->smtp_url = us_strdup(v);
			else
				us_error_set(us_errlist_add(errs),
				    US_E_INVALID, "SMTP_URL", "bad_config",
				    "SMTP_URL must look like smtp://user:"
				    "password@host:port or smtps://host:port.");
		}
	}
	us_buf_reset(&b);
	us_buf_appendf(&b, "%s/var/mail", home);
	c->mail_dir = us_buf_release(&b);
	if ((v = getenv("UNDERSIGNED_PLUGIN_DIR")) != NULL && *v != '\0')
		c->plugin_dir = us_strdup(v);
	else {
		us_buf_appendf(&b, "%s/plugins", home);
		c->plugin_dir = us_buf_release(&b);
	}

	if ((v = getenv("PUBLIC_URL")) != NULL && *v != '\0') {
		if (config_url("PUBLIC_URL", v, web, errs)) {
			c->public_url = us_strdup(v);
			len = strlen(c->public_url);
			while (len > 0 && c->public_url[len - 1] == '/')
				c->public_url[--len] = '\0';
		}
	} else if (strcmp(c->listen, "0.0.0.0") == 0 ||
	    strcmp(c->listen, "::") == 0) {
		us_buf_appendf(&b, "http://127.0.0.1:%d", c->port);
		c->public_url = us_buf_release(&b);
	} else {
		us_buf_appendf(&b, strchr(c->listen, ':') != NULL ?
		    "http://[%s]:%d" : "http://%s:%d", c->listen, c->port);
		c->public_url = us_buf_release(&b);
	}

	v = getenv("MAIL_FROM");
	if (v == NULL || *v == '\0')
		v = "undersigned <undersigned@localhost.localdomain>";
	if (!us_mime_address(v, addr, sizeof(addr)) || strpbrk(v, "\r\n") !=
	    NULL || !us_valid_email(addr))
		us_error_set(us_errlist_add(errs), US_E_INVALID, "MAIL_FROM",
		    "bad_config", "MAIL_FROM must be an address, optionally "
		    "with a name: \"Coalition <noreply@example.org>\", not "
		    "\"%s\".", v);
	c->mail_from = us_strdup(v);
	us_buf_free(&b);
	return (errs->n == 0 ? US_OK : US_FAIL);
}

void
us_config_free(struct us_config *c)
{
	free(c->home);
	free(c->listen);
	free(c->database_url);
	free(c->conninfo);
	free(c->smtp_url);
	free(c->public_url);
	free(c->mail_from);
	free(c->mail_dir);
	free(c->plugin_dir);
	free(c->trusted_proxies);
	memset(c, 0, sizeof(*c));
}
