/*
 * us_i18n: the UI in the reader's language, English and Russian for now.
 *
 * English is the source language: a msgid is the English text itself,
 * and anything without a translation shows as written.  Translations are
 * gettext catalogues, assets/locale/<lang>.po, which the Makefile
 * compiles with msgfmt into <dir>/<lang>/undersigned.mo; the server
 * loads them from US_I18N_DIR, relative to the project root it runs in.
 * scripts/i18n-extract.sh collects every marked string (see US_N_ below
 * and {{_ ...}} in templates) and merges it into the .po files.
 *
 * Plural rules are C functions in i18n.c, one per language, rather than
 * the Plural-Forms expression of the catalogue: a catalogue is data that
 * must not be able to pick the wrong form, or crash the server.  Adding
 * a language means adding its rule to the table there and its .po file;
 * a catalogue for a language the table does not know is not loaded.
 *
 * Dates: the month names are msgids "January" .. "December" in context
 * "date" (the form used inside a date: genitive in Russian, "декабря"),
 * and the order of the parts is the msgid "{day} {month} {year}" in the
 * same context, so a language whose dates read differently needs only
 * its catalogue ("{day} {month} {year} г." in Russian).
 *
 * Everything is read-only between us_i18n_load() and us_i18n_unload(),
 * which run before and after the worker threads: any number of threads
 * may translate at once.
 */
#ifndef US_I18N_H
#define US_I18N_H

#include "buf.h"
#include "error.h"

#define US_I18N_DIR		"build/locale"
#define US_I18N_DOMAIN		"undersigned"
#define US_I18N_SOURCE		"en"
#define US_I18N_CTX_DATE	"date"
#define US_I18N_CHOICE_MAX	15	/* longest tag kept from ?lang= */

/*
 * Marks a string for scripts/i18n-extract.sh without translating it:
 * a table of labels is written with US_N_("...") and each label is
 * passed through us_i18n() where the reader's language is known.
 * US_NC_ does the same for a msgid in a context.  US_NN_ marks a
 * singular and plural pair and stands for both, as two arguments or two
 * initialisers, for a function that ends up calling us_i18n_n():
 * f(lang, US_NN_("{n} country", "{n} countries"), n).
 */
#define US_N_(s)		(s)
#define US_NC_(ctx, s)		(s)
#define US_NN_(s, p)		(s), (p)

int		 us_i18n_load(const char *, struct us_error *);
void		 us_i18n_unload(void);
const char	*us_i18n(const char *, const char *);
const char	*us_i18n_ctx(const char *, const char *, const char *);
const char	*us_i18n_n(const char *, const char *, const char *,
		    unsigned long);
int		 us_i18n_supported(const char *);
int		 us_i18n_tag(const char *, size_t);
const char	*us_i18n_negotiate(const char *, const char *);
int		 us_i18n_choose(const char *, const char *, const char *const *,
		    size_t);
void		 us_i18n_date(struct us_buf *, const char *, const char *);
void		 us_i18n_date_weekday(struct us_buf *, const char *,
		    const char *);
void		 us_i18n_size(struct us_buf *, const char *, unsigned long long);

#endif
