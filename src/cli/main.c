#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/country.h"
#include "core/i18n.h"
#include "core/log.h"
#include "core/relay.h"
#include "core/token.h"
#include "core/tpl.h"
#include "cli/cli.h"
#include "mail/mail.h"

static void	usage(void);
static int	cmd_coordinator(const struct us_config *, int, char **);
static int	cmd_migrate(const struct us_config *);
static int	cmd_mailer(const struct us_config *, int, char **);
static int	cmd_demo(const struct us_config *);
static int	cmd_check(const struct us_config *);
static int	cmd_retention(const struct us_config *);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: undersigned COMMAND [ARGS]\n"
	    "  coordinator add EMAIL   add a coordinator; prints a new API "
	    "token as the last line\n"
	    "  migrate                 apply database migrations\n"
	    "  mailer [--once]         deliver queued mail (SMTP_URL or "
	    "var/mail)\n"
	    "  demo                    load the demo statement; print its URL "
	    "and a token\n"
	    "  check-config            check the settings and print them\n"
	    "  render --format NAME --statement FILE.json -o OUT\n"
	    "                          render a statement offline with a "
	    "plugin\n"
	    "  formats                 list the output plugins\n"
	    "  keys list | rotate      the keys that sign records; rotate "
	    "retires the\n"
	    "                          one in use and makes a new one\n"
	    "  verify FILE [--key BASE64 | --keys URL-or-FILE] [--record "
	    "RECORD]\n"
	    "                          check a signed record, or a document "
	    "against one\n"
	    "  backup DIR              pg_dump the database into DIR, with "
	    "a checksum\n"
	    "  retention               anonymise contact data of statements "
	    "closed\n"
	    "                          UNDERSIGNED_RETENTION_MONTHS ago\n"
	    "Settings come from the environment: PORT, DATABASE_URL, SMTP_URL,"
	    "\nPUBLIC_URL, MAIL_FROM (see README.md).\n");
	exit(2);
}

static int
cmd_coordinator(const struct us_config *cfg, int argc, char **argv)
{
	struct us_db	*db;
	struct us_error	 err;
	char		 token[US_TOKEN_LEN + 1];
	int		 ok;

	if (argc != 3 || strcmp(argv[1], "add") != 0)
		usage();
	db = us_db_new(cfg->conninfo);
	us_error_clear(&err);
	ok = us_db_coord_add(db, argv[2], "command line", token, &err);
	us_db_free(db);
	if (!ok) {
		fprintf(stderr, "undersigned: %s\n", err.message);
		return (1);
	}
	printf("Coordinator %s: new API token (shown once, stored hashed):\n",
	    argv[2]);
	printf("%s\n", token);
	return (0);
}

static int
cmd_migrate(const struct us_config *cfg)
{
	struct us_db	*db;
	struct us_error	 err;
	struct us_buf	 dir;
	int		 ok;

	us_buf_init(&dir);
	us_buf_appendf(&dir, "%s/migrations", cfg->home);
	db = us_db_new(cfg->conninfo);
	us_error_clear(&err);
	/* The first start also makes the key pair that signs records. */
	ok = us_db_migrate(db, dir.data, 1, &err) &&
	    us_db_keys_ensure(db, &err);
	us_db_free(db);
	us_buf_free(&dir);
	if (!ok) {
		fprintf(stderr, "undersigned: migration failed: %s\n",
		    err.message);
		return (1);
	}
	return (0);
}

static int
cmd_mailer(const struct us_config *cfg, int argc, char **argv)
{
	struct us_tpls	 tpls;
	struct us_error	 err;
	struct us_buf	 dir;
	int		 once, ok;

	once = argc == 2 && strcmp(argv[1], "--once") == 0;
	if (argc > 2 || (argc == 2 && !once))
		usage();
	memset(&tpls, 0, sizeof(tpls));
	us_buf_init(&dir);
	/* Each mail in the language its signer read the statement in. */
	us_buf_appendf(&dir, "%s/" US_I18N_DIR, cfg->home);
	ok = us_i18n_load(dir.data, &err);
	/* A delivery's list names countries in its language. */
	ok = ok && us_country_load_lang("ru", "/usr/share/locale/ru/"
	    "LC_MESSAGES/iso_3166-1.mo", &err);
	us_buf_reset(&dir);
	us_buf_appendf(&dir, "%s/assets/mail", cfg->home);
	ok = ok && us_tpl_load_dir(&tpls, dir.data, &err);
	us_buf_free(&dir);
	if (!ok) {
		fprintf(stderr, "undersigned: %s\n", err.message);
		us_i18n_unload();
		return (1);
	}
	us_tpl_set_translator(us_i18n);
	setvbuf(stdout, NULL, _IOLBF, 0);
	ok = us_mail_run(cfg, &tpls, once);
	us_tpl_free(&tpls);
	us_i18n_unload();
	return (ok ? 0 : 1);
}

static int
cmd_demo(const struct us_config *cfg)
{
	struct us_db	*db;
	int		 ok;

	db = us_db_new(cfg->conninfo);
	ok = us_cli_demo(cfg, db);
	us_db_free(db);
	return (ok ? 0 : 1);
}

/*
 * Meant to run daily (a systemd timer or cron); safe to run on several
 * machines at once.
 */
static int
cmd_retention(const struct us_config *cfg)
{
	struct us_db	*db;
	struct us_error	 err;
	long long	 statements, signatures;
	int		 ok;

	db = us_db_new(cfg->conninfo);
	us_error_clear(&err);
	ok = us_db_retention_run(db, cfg->retention_months, &statements,
	    &signatures, &err);
	us_db_free(db);
	if (!ok) {
		fprintf(stderr, "undersigned: retention: %s\n", err.message);
		return (1);
	}
	printf("retention: contact data of %lld signature%s in %lld "
	    "statement%s closed more than %d month%s ago anonymised\n",
	    signatures, signatures == 1 ? "" : "s", statements,
	    statements == 1 ? "" : "s", cfg->retention_months,
	    cfg->retention_months == 1 ? "" : "s");
	return (0);
}

static int
cmd_check(const struct us_config *cfg)
{
	char	relay[512];

	if (cfg->smtp_url != NULL)
		us_relay_redact(cfg->smtp_url, relay, sizeof(relay));
	printf("home          %s\n", cfg->home);
	printf("LISTEN        %s\n", cfg->listen);
	printf("PORT          %d\n", cfg->port);
	printf("DATABASE_URL  %s\n", cfg->database_url != NULL ?
	    "(set)" : "(unset: private cluster under var/pg)");
	printf("SMTP_URL      %s\n", cfg->smtp_url != NULL ? relay :
	    "(unset: mail is written to var/mail)");
	printf("PUBLIC_URL    %s\n", cfg->public_url);
	printf("MAIL_FROM     %s\n", cfg->mail_from);
	printf("plugins       %s\n", cfg->plugin_dir);
	printf("rate limits   %s\n", cfg->rate_limits ? "on" :
	    "OFF (UNDERSIGNED_RATE_LIMITS=off: load tests only)");
	if (cfg->rate_limits)
		printf("mail cap      %d a minute, %d a minute per statement\n",
		    cfg->mail_per_minute, cfg->mail_per_statement);
	printf("trusted proxies %s\n", cfg->trusted_proxies);
	printf("retention     %d months after a statement closes\n",
	    cfg->retention_months);
	printf("mail sender   polls every %d ms, %d SMTP connection%s\n",
	    cfg->mail_poll_ms, cfg->smtp_connections,
	    cfg->smtp_connections == 1 ? "" : "s");
	printf("page check    every %d ms\n", cfg->page_check_ms);
	return (0);
}

int
main(int argc, char *argv[])
{
	struct us_config	 cfg;
	struct us_errlist	 errs;
	struct us_error		 err;
	char			 home[PATH_MAX];
	size_t			 i;
	int			 rc;

	if (argc < 2)
		usage();
	/* verify needs no project, database or configuration. */
	if (strcmp(argv[1], "verify") == 0)
		return (us_cli_verify(argc - 1, argv + 1));
	if (!us_cli_home(home, sizeof(home))) {
		fprintf(stderr, "undersigned: cannot find the project directory"
		    " (set UNDERSIGNED_HOME)\n");
		return (1);
	}
	memset(&errs, 0, sizeof(errs));
	if (!us_config_load(&cfg, home, &errs)) {
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "undersigned: configuration: %s\n",
			    errs.v[i].message);
		us_config_free(&cfg);
		return (1);
	}
	if (!us_country_load(US_COUNTRY_JSON, &err)) {
		fprintf(stderr, "undersigned: %s\n", err.message);
		us_config_free(&cfg);
		return (1);
	}
	if (strcmp(argv[1], "coordinator") == 0)
		rc = cmd_coordinator(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "migrate") == 0 && argc == 2)
		rc = cmd_migrate(&cfg);
	else if (strcmp(argv[1], "mailer") == 0)
		rc = cmd_mailer(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "demo") == 0 && argc == 2)
		rc = cmd_demo(&cfg);
	else if (strcmp(argv[1], "check-config") == 0 && argc == 2)
		rc = cmd_check(&cfg);
	else if (strcmp(argv[1], "render") == 0)
		rc = us_cli_render(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "formats") == 0 && argc == 2)
		rc = us_cli_formats(&cfg);
	else if (strcmp(argv[1], "keys") == 0)
		rc = us_cli_keys(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "backup") == 0)
		rc = us_cli_backup(&cfg, argc - 1, argv + 1);
	else if (strcmp(argv[1], "retention") == 0 && argc == 2)
		rc = cmd_retention(&cfg);
	else
		usage();
	us_config_free(&cfg);
	us_country_unload();
	return (rc);
}
