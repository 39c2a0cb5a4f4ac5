#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/country.h"
#include "core/i18n.h"
#include "core/log.h"
#include "cli/cli.h"
#include "plugin/plugin.h"

static void	render_report(const char *, const char *);
static void	render_languages(void);
static int	embargo_local(json_t *);
static int	write_out(const char *, const struct us_buf *);

static void
render_report(const char *path, const char *why)
{
	fprintf(stderr, "undersigned: plugin %s refused: %s\n", path, why);
}

/*
 * The words and country names of the languages the server speaks, as
 * the server loads them; without them a file comes out in English.
 */
static void
render_languages(void)
{
	struct us_error	err;

	us_error_clear(&err);
	if (!us_i18n_load(US_I18N_DIR, &err) ||
	    !us_country_load_lang("ru", "/usr/share/locale/ru/LC_MESSAGES/"
	    "iso_3166-1.mo", &err))
		fprintf(stderr, "undersigned: %s (files come out in "
		    "English)\n", err.message);
}

/*
 * A model file may give the embargo only as a UTC time and a zone name.
 * The local time and the zone's abbreviation then are worked out here,
 * through TZ: safe in this single-threaded tool, which is why the server
 * asks PostgreSQL instead.
 */
static int
embargo_local(json_t *doc)
{
	json_t		*e;
	const char	*until, *tz;
	struct tm	 tm;
	time_t		 t;
	char		 local[32], zone[16], *old;
	int		 oh = 0, om = 0, n = 0;

	e = json_object_get(doc, "embargo");
	until = json_string_value(json_object_get(e, "until"));
	tz = json_string_value(json_object_get(e, "timezone"));
	if (until == NULL || tz == NULL ||
	    (json_object_get(e, "local") != NULL &&
	    json_object_get(e, "zone") != NULL))
		return (US_OK);
	memset(&tm, 0, sizeof(tm));
	if (sscanf(until, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6)
		return (US_FAIL);
	if (until[n] == '+' || until[n] == '-') {
		if (sscanf(until + n + 1, "%2d:%2d", &oh, &om) != 2)
			return (US_FAIL);
		if (until[n] == '-') {
			oh = -oh;
			om = -om;
		}
	} else if (until[n] != 'Z' && until[n] != 'z')
		return (US_FAIL);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm) - (oh * 3600 + om * 60);

	old = getenv("TZ") != NULL ? us_strdup(getenv("TZ")) : NULL;
	setenv("TZ", tz, 1);
	tzset();
	localtime_r(&t, &tm);
	(void)strftime(local, sizeof(local), "%Y-%m-%dT%H:%M:%S", &tm);
	(void)strftime(zone, sizeof(zone), "%Z", &tm);
	if (old != NULL) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();
	json_object_set_new(e, "local", json_string(local));
	json_object_set_new(e, "zone", json_string(zone));
	return (US_OK);
}

static int
write_out(const char *path, const struct us_buf *b)
{
	FILE	*fp;
	int	 ok;

	if (strcmp(path, "-") == 0)
		fp = stdout;
	else if ((fp = fopen(path, "wb")) == NULL) {
		fprintf(stderr, "undersigned: %s: %s\n", path, strerror(errno));
		return (US_FAIL);
	}
	ok = fwrite(b->data, 1, b->len, fp) == b->len;
	if (fp != stdout)
		ok = fclose(fp) == 0 && ok;
	else
		ok = fflush(fp) == 0 && ok;
	if (!ok)
		fprintf(stderr, "undersigned: %s: write failed\n", path);
	return (ok ? US_OK : US_FAIL);
}

/*
 * bin/undersigned render --format NAME --statement FILE.json -o OUT
 * bin/undersigned formats
 */
int
us_cli_render(const struct us_config *cfg, int argc, char **argv)
{
	struct us_plugins	 set;
	struct us_model		 m;
	struct us_error		 err;
	struct us_buf		 out;
	const struct us_format	*f;
	json_error_t		 jerr;
	json_t			*doc = NULL;
	const char		*format = NULL, *file = NULL, *dest = NULL;
	size_t			 i;
	int			 rc = 1;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--format") == 0 && i + 1 < (size_t)argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--statement") == 0 &&
		    i + 1 < (size_t)argc)
			file = argv[++i];
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < (size_t)argc)
			dest = argv[++i];
		else {
			fprintf(stderr, "usage: undersigned render --format NAME"
			    " --statement FILE.json -o OUT\n");
			return (2);
		}
	}
	if (format == NULL || file == NULL || dest == NULL) {
		fprintf(stderr, "usage: undersigned render --format NAME "
		    "--statement FILE.json -o OUT\n");
		return (2);
	}
	us_buf_init(&out);
	us_error_clear(&err);
	render_languages();
	(void)us_plugins_load(&set, cfg->plugin_dir, render_report);
	if ((f = us_plugins_find(&set, format)) == NULL) {
		fprintf(stderr, "undersigned: no format \"%s\" in %s (try: "
		    "undersigned formats)\n", format, cfg->plugin_dir);
		goto done;
	}
	if ((doc = json_load_file(file, JSON_REJECT_DUPLICATES, &jerr)) ==
	    NULL) {
		fprintf(stderr, "undersigned: %s:%d:%d: %s\n", file, jerr.line,
		    jerr.column, jerr.text);
		goto done;
	}
	if (!embargo_local(doc)) {
		fprintf(stderr, "undersigned: %s: embargo.until must be like "
		    "2026-12-01T00:01:00Z\n", file);
		goto done;
	}
	if (!us_model_build(&m, doc, &err)) {
		fprintf(stderr, "undersigned: %s: %s\n", file, err.message);
		goto done;
	}
	if (us_plugin_render(f->p, &m.st, &out, &err) && write_out(dest, &out))
		rc = 0;
	else if (err.kind != US_E_NONE)
		fprintf(stderr, "undersigned: %s\n", err.message);
	us_model_free(&m);
done:
	json_decref(doc);
	us_buf_free(&out);
	us_plugins_unload(&set);
	us_i18n_unload();
	return (rc);
}

int
us_cli_formats(const struct us_config *cfg)
{
	struct us_plugins	set;
	size_t			i;

	(void)us_plugins_load(&set, cfg->plugin_dir, render_report);
	for (i = 0; i < set.n; i++)
		printf("%-20s %-8s %-40s %s\n", set.v[i].p->name,
		    set.v[i].p->extension, set.v[i].p->mime_type,
		    set.v[i].p->title);
	us_plugins_unload(&set);
	return (0);
}
