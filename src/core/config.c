#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "config.h"
#include "mime.h"
#include "validate.h"

extern char	**environ;

static const char *const known_vars[] = {
	"UNDERSIGNED_HOME", "UNDERSIGNED_MAIL_RETRY_SECONDS",
	"UNDERSIGNED_PLUGIN_DIR", "UNDERSIGNED_RETENTION_MONTHS", NULL
};

static int	config_int(const char *, const char *, int, int, int, int *,
		    struct us_errlist *);
static int	config_url(const char *, const char *, const char *const *,
		    struct us_errlist *);

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

int
us_config_load(struct us_config *c, const char *home, struct us_errlist *errs)
{
	static const char *const web[] = { "http", "https", NULL };
	static const char *const mail[] = { "smtp", "smtps", NULL };
	struct us_buf	 b;
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
			    "UNDERSIGNED_HOME, UNDERSIGNED_MAIL_RETRY_SECONDS, "
			    "UNDERSIGNED_PLUGIN_DIR, "
			    "UNDERSIGNED_RETENTION_MONTHS)",
			    (int)len, *e);
	}

	(void)config_int("PORT", getenv("PORT"), 8080, 1, 65535, &c->port,
	    errs);
	(void)config_int("UNDERSIGNED_MAIL_RETRY_SECONDS",
	    getenv("UNDERSIGNED_MAIL_RETRY_SECONDS"), 10, 1, 3600,
	    &c->mail_retry, errs);
	/* Up to a century: "never" is not a retention period. */
	(void)config_int("UNDERSIGNED_RETENTION_MONTHS",
	    getenv("UNDERSIGNED_RETENTION_MONTHS"), 12, 1, 1200,
	    &c->retention_months, errs);

	us_buf_init(&b);
	if ((v = getenv("DATABASE_URL")) != NULL && *v != '\0') {
		c->database_url = us_strdup(v);
		c->conninfo = us_strdup(v);
	} else {
		us_buf_appendf(&b, "host=%s/var/pg dbname=undersigned user=undersigned", home);
		c->conninfo = us_buf_release(&b);
	}

	if ((v = getenv("SMTP_URL")) != NULL && *v != '\0') {
		if (config_url("SMTP_URL", v, mail, errs))
			c->smtp_url = us_strdup(v);
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
	} else {
		us_buf_appendf(&b, "http://127.0.0.1:%d", c->port);
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
	free(c->database_url);
	free(c->conninfo);
	free(c->smtp_url);
	free(c->public_url);
	free(c->mail_from);
	free(c->mail_dir);
	free(c->plugin_dir);
	memset(c, 0, sizeof(*c));
}
