#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/buf.h"
#include "core/escape.h"
#include "core/sign.h"
#include "core/statement.h"
#include "core/relay.h"
#include "core/token.h"
#include "cli/cli.h"

#define DEMO_COORDINATOR	"coordinator@example.org"

/*
 * Loads assets/demo/statement.json once (a statement written for the
 * demo, opened for signing, with a few confirmed signatories) and gives
 * the demo coordinator a fresh API token on every run: tokens are stored
 * hashed, so an old one cannot be shown again.
 */
int
us_cli_demo(const struct us_config *cfg, struct us_db *db)
{
	struct us_stmt_input	 in;
	struct us_errlist	 errs;
	struct us_error		 err;
	struct us_fields	 raw, clean;
	struct us_buf		 path, url;
	json_t			*root, *sigs, *s, *st;
	json_error_t		 jerr;
	const char		*slug;
	char			 token[US_TOKEN_LEN + 1];
	char			 relay[512];
	long long		 coord;
	size_t			 i;
	int			 rc = US_FAIL;

	us_buf_init(&path);
	us_buf_init(&url);
	memset(&errs, 0, sizeof(errs));
	us_error_clear(&err);
	us_buf_appendf(&path, "%s/assets/demo/statement.json", cfg->home);
	if ((root = json_load_file(path.data, 0, &jerr)) == NULL) {
		fprintf(stderr, "undersigned: %s: %s\n", path.data, jerr.text);
		goto done;
	}
	if (!us_db_coord_add(db, DEMO_COORDINATOR, "demo (make run)", token,
	    &err) || !us_db_coord_auth(db, token, &coord, &err))
		goto fail;
	if (!us_stmt_parse(json_object_get(root, "statement"), &in, &errs)) {
		fprintf(stderr, "undersigned: demo statement: %s: %s\n",
		    errs.v[0].field, errs.v[0].message);
		us_stmt_input_free(&in);
		goto done;
	}
	slug = us_fields_get(&in.f, "slug");
	us_buf_appendf(&url, "%s/s/", cfg->public_url);
	us_esc_url(&url, slug);

	if ((st = us_db_stmt_get(db, slug, coord, &err)) != NULL) {
		json_decref(st);
		us_stmt_input_free(&in);
		goto print;
	}
	if (err.kind != US_E_NOTFOUND || !us_db_stmt_create(db, &in, coord,
	    &err) || !us_db_stmt_set_status(db, slug, "open", coord, &err)) {
		us_stmt_input_free(&in);
		goto fail;
	}
	sigs = json_object_get(root, "signatories");
	json_array_foreach(sigs, i, s) {
		us_fields_init(&raw);
		us_fields_init(&clean);
		errs.n = 0;
		if (!us_fields_from_json(&raw, s, &err) ||
		    !us_sign_validate(&raw, &clean, &errs)) {
			fprintf(stderr, "undersigned: demo signatory %zu: %s\n",
			    i + 1, errs.n > 0 ? errs.v[0].message : err.message);
		} else if (!us_db_sig_add_confirmed(db, slug, &clean, "demo",
		    &err)) {
			us_fields_free(&raw);
			us_fields_free(&clean);
			us_stmt_input_free(&in);
			goto fail;
		}
		us_fields_free(&raw);
		us_fields_free(&clean);
	}
	us_stmt_input_free(&in);
print:
	printf("Demo statement:   %s\n", url.data);
	if (cfg->smtp_url != NULL)
		us_relay_redact(cfg->smtp_url, relay, sizeof(relay));
	printf("Mail goes to:     %s\n", cfg->smtp_url != NULL ?
	    relay : cfg->mail_dir);
	printf("Workspace:        %s/w (sign in as %s; without SMTP_URL\n"
	    "                  the sign-in link is printed in this log)\n",
	    cfg->public_url, DEMO_COORDINATOR);
	printf("Coordinator:      %s\n", DEMO_COORDINATOR);
	printf("API token:        %s\n", token);
	rc = US_OK;
	goto done;
fail:
	fprintf(stderr, "undersigned: demo: %s\n", err.message);
done:
	json_decref(root);
	us_buf_free(&path);
	us_buf_free(&url);
	return (rc);
}
