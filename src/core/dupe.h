/*
 * us_dupe: whether two signing organisations are likely one, and why.
 * The one rule behind the import's duplicate check and the moderation
 * view's flags, so that a pair is flagged (or not) the same everywhere.
 *
 * Similar-looking acronyms are never enough: HRHF (Human Rights House
 * Foundation, Norway) and HFHR (Helsinki Foundation for Human Rights,
 * Poland) are two organisations.
 */
#ifndef US_DUPE_H
#define US_DUPE_H

enum us_dupe_reason {
	US_DUPE_NONE = 0,
	US_DUPE_WEBSITE,	/* the same website domain */
	US_DUPE_EMAIL,		/* the same email domain (not webmail) */
	US_DUPE_NAME,		/* the same name, or shown name */
	US_DUPE_WORDS,		/* the same words in another order */
	US_DUPE_SPELLING,	/* one letter apart: Center and Centre */
	US_DUPE_ACRONYM		/* the same acronym, or acronym and name */
};

/* What is known of an organisation; any member may be NULL. */
struct us_dupe_org {
	const char	*name;
	const char	*display_name;
	const char	*acronym;
	const char	*country;	/* ISO 3166 alpha-2 */
	const char	*country2;
	const char	*website;
	const char	*email;
};

/* Its matching keys, made once and compared many times. */
struct us_dupe_keys {
	char		*name;
	char		*display;
	char		*words;		/* significant words, sorted */
	char		*acronym;
	char		*domain;
	char		*mail_domain;	/* NULL for webmail */
	const char	*country;
	const char	*country2;
};

void			 us_dupe_keys_make(struct us_dupe_keys *,
			    const struct us_dupe_org *);
void			 us_dupe_keys_free(struct us_dupe_keys *);
enum us_dupe_reason	 us_dupe_match(const struct us_dupe_keys *,
			    const struct us_dupe_keys *);
const char		*us_dupe_reason_text(enum us_dupe_reason);
char			*us_dupe_domain(const char *);

#endif
