/*
 * undersigned output plugin ABI, version 2.2.
 *
 * An output plugin is a shared object that turns one statement into one
 * file format (PDF, CSV, a press release ...).  It includes only this
 * header: it never sees the server, Kore, PostgreSQL or any private data.
 * The statement it receives holds public data only: the text, its
 * metadata and addressees, the named signatories in display order and the
 * number of organisations that signed without being named.  Contact data
 * and the identity of those organisations are never in the model, so no
 * plugin can leak them.
 *
 * A plugin exports one symbol, a NULL-terminated array of descriptors:
 *
 *	#include "undersigned-plugin.h"
 *
 *	static int render(const struct us_p_statement *, struct us_p_sink *);
 *
 *	static const struct us_plugin text = {
 *		US_PLUGIN_HEADER,
 *		.name = "text", .title = "Plain text",
 *		.mime_type = "text/plain; charset=utf-8", .extension = "txt",
 *		.version = "1.0", .render = render,
 *	};
 *	US_PLUGIN_EXPORT(&text);
 *
 * How the ABI evolves (the rule docs/plugins.md states in full):
 *  - US_PLUGIN_ABI_MAJOR changes only when something is removed, moved or
 *    changes meaning; the server refuses a plugin of another major.
 *  - US_PLUGIN_ABI_MINOR grows when fields are added.  Fields are only
 *    ever added at the end of a struct, so a plugin built against an
 *    older minor of the same major reads a prefix of what the server
 *    gives it, and keeps loading.  A plugin built against a newer minor
 *    than the server's is refused: it may rely on fields that are not
 *    there.  Each addition below is marked with the minor that made it.
 *  - Structs the plugin hands to the server (struct us_plugin) carry
 *    their size; the server reads only that many bytes and treats what
 *    lies beyond as absent (NULL).  Structs the server hands to the
 *    plugin carry their size too (us_p_statement.size, us_p_sink.size),
 *    and lists are arrays of pointers, so each element struct may grow
 *    at its end without changing the stride a plugin walks with.
 *
 * All strings are UTF-8 and NUL-terminated; optional ones are NULL when
 * absent, never "".  The model is read-only and lives for the duration of
 * render().  render() may be called from several threads at once, each
 * with its own model and sink: keep no mutable global state (or lock it).
 * See docs/plugins.md for a complete example and the JSON form of the
 * model.
 */
#ifndef UNDERSIGNED_PLUGIN_H
#define UNDERSIGNED_PLUGIN_H

#include <stddef.h>

#define US_PLUGIN_ABI_MAJOR	2
#define US_PLUGIN_ABI_MINOR	2
#define US_PLUGIN_MAGIC		0x55534e44u	/* "USND" */
#define US_PLUGIN_SYMBOL	"undersigned_plugins"

#define US_PLUGIN_OK		0
#define US_PLUGIN_ERROR		(-1)

struct us_p_addressee {
	const char	*name;
	const char	*title;
	const char	*address;	/* may hold line breaks */
	const char	*email;
	const char	*phone;
	const char	*fax;
	const char	*social;
	/* 2.2: how a letter to them opens ("Dear Mr. President,"); the
	   server gives it to plugins of 2.2 and later only. */
	const char	*salutation;
};

struct us_p_signatory {
	unsigned int	 position;	/* 1, 2, 3 ... in display order */
	const char	*organisation;
	const char	*acronym;
	const char	*country;	/* ISO 3166-1 alpha-2: the first */
	const char	*country_name;	/* in the statement's language */
	const char	*signed_on;	/* YYYY-MM-DD */
	/* Every country, the first one included, in the signer's order. */
	size_t		 ncountries;
	const char *const *countries;		/* alpha-2 */
	const char *const *country_names;	/* in the statement's language */
};

struct us_p_country_count {
	const char	*country;	/* alpha-2 */
	const char	*country_name;	/* in the statement's language */
	unsigned int	 count;		/* named organisations */
};

struct us_p_media_contact {
	const char	*name;
	const char	*organisation;
	const char	*email;
	const char	*phone;
	const char	*languages;	/* "English, Russian" */
	const char	*timezone;	/* "GMT+6" or "Asia/Bishkek" */
};

struct us_p_embargo {
	const char	*until;		/* RFC 3339 UTC: 2026-12-01T00:01:00Z */
	const char	*timezone;	/* IANA name: Europe/London */
	const char	*local;		/* in that zone: 2026-12-01T00:01:00 */
	const char	*zone;		/* its abbreviation then: GMT */
};

/* 2.2: confirmed reports of actions taken on one channel. */
struct us_p_action_count {
	const char	*channel;	/* letter, email, fax, phone, social */
	size_t		 count;
};

struct us_p_statement {
	size_t		 size;		/* sizeof, as the server built it */
	const char	*slug;
	const char	*kind;		/* joint_statement, open_letter,
					   urgent_action */
	const char	*status;	/* draft, open, closed, published */
	const char	*lang;		/* BCP 47: en, ru, ka ... */
	const char	*title;
	const char	*place;
	const char	*date;		/* YYYY-MM-DD */
	const char	*reference;	/* UA 56.23 */
	const char	*expires_on;	/* YYYY-MM-DD */
	const char	*signing_deadline;
	const char	*body_markdown;	/* CommonMark */
	const char	*body_html;	/* safe HTML rendered from it */
	const char	*url;		/* public page */
	const char	*text_digest;	/* SHA-256 hex of the signed text */
	const char	*coordinator_organisation;
	const char	*generated_at;	/* RFC 3339 UTC */

	/* Press release: headline and lede are never NULL (title and the
	   first paragraph when not set). */
	const char	*headline;
	const char	*lede;
	const char	*notes_to_editors;	/* CommonMark */
	const char	*about;			/* CommonMark */
	const struct us_p_embargo	*embargo;	/* NULL: immediate */
	const struct us_p_media_contact *const *media_contacts;
	size_t		 nmedia_contacts;

	const struct us_p_addressee *const *addressees;
	size_t		 naddressees;

	const struct us_p_signatory *const *signatories;	/* named */
	size_t		 nsignatories;
	/*
	 * An organisation that signed counted, not named exists here only
	 * as part of unnamed_count: never in signatories, countries or
	 * ncountries, which would tell where it works.
	 */
	size_t		 unnamed_count;	/* signed, counted, not named */
	size_t		 signature_count; /* nsignatories + unnamed_count */
	/* Named organisations by country, most first; one with two
	   countries counts in both. */
	const struct us_p_country_count *const *countries;
	size_t		 ncountries;

	/* 2.1: what the document is, in the statement's language. */
	const char	*status_line;	/* "Published 9 December 2026,
					   version 2", "Open for signatures
					   — list as of 14:05 UTC, ..." */
	const char	*list_as_of;	/* RFC 3339 UTC: when the list was
					   read */
	const char	*published_at;	/* RFC 3339 UTC, NULL unpublished */
	unsigned int	 text_version;	/* 1, 2 ...; 0 unpublished */
	const char	*record_digest;	/* "sha256:<hex>" of the signed
					   record, NULL without one */
	const char	*record_key_id;	/* the key that signed it */

	/*
	 * 2.1: the server's words in the statement's language.  tr() gives
	 * the translation of an English msgid, or the msgid itself; ntr()
	 * the singular or plural form for n ("{n}" stays in it for the
	 * caller to fill in); format_date() writes "YYYY-MM-DD" (or the
	 * date of an RFC 3339 time) as "9 December 2026" / "9 декабря
	 * 2026 г.", with the weekday first when weekday is set, and returns
	 * 0 when the text is not such a date or does not fit.  Never NULL
	 * in 2.1.
	 */
	const char	*(*tr)(const struct us_p_statement *, const char *);
	const char	*(*ntr)(const struct us_p_statement *, const char *,
			    const char *, unsigned long);
	int		 (*format_date)(const struct us_p_statement *,
			    const char *, int, char *, size_t);

	/* 2.2: urgent actions.  The sample letter of this language version
	   (CommonMark), which readers send to each addressee; NULL when
	   the statement has none.  Each addressee has its salutation. */
	const char	*sample_letter;

	/*
	 * 2.2 too: actions readers reported taking on an urgent action or
	 * appeal, confirmed by email: the total, and by channel, every
	 * channel present (0 when none) in the order letter, email, fax,
	 * phone, social.
	 */
	size_t		 action_count;
	const struct us_p_action_count *const *actions_by_channel;
	size_t		 nactions_by_channel;
};

/*
 * Where output goes.  write() appends a copy of the bytes (the plugin may
 * reuse its buffer at once) and returns US_PLUGIN_OK, or US_PLUGIN_ERROR
 * once the output would pass the server's limit (US_PLUGIN_MAX_OUTPUT):
 * the render then fails.  error() records why a render failed
 * (printf-style, one line, English; the reader sees it in a 500 page
 * inside "The <title> could not be produced: ..."), after which render()
 * must return US_PLUGIN_ERROR.  Empty output is a valid render.
 */
#define US_PLUGIN_MAX_OUTPUT	((size_t)256 * 1024 * 1024)

struct us_p_sink {
	void	*ctx;
	int	(*write)(struct us_p_sink *, const void *, size_t);
	void	(*error)(struct us_p_sink *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
	size_t	 size;			/* 2.1: sizeof, as the server built it */
};

struct us_plugin {
	/* US_PLUGIN_HEADER: checked field by field at load. */
	unsigned int	 magic;
	unsigned int	 abi_major;
	unsigned int	 abi_minor;
	size_t		 descriptor_size;
	size_t		 model_size;

	const char	*name;		/* [a-z0-9-]+, unique: the URL part */
	const char	*title;		/* for people: "PDF document" */
	const char	*mime_type;	/* "application/pdf" */
	const char	*extension;	/* "pdf", no dot */
	const char	*version;	/* the plugin's own: change it whenever
					   the output changes */

	int		(*init)(void);		/* optional, once at load */
	void		(*cleanup)(void);	/* optional, at unload */
	int		(*render)(const struct us_p_statement *,
			    struct us_p_sink *);

	/* 2.1: what goes between the slug and the extension in a
	   download's file name ("-excel": {slug}-excel.csv); NULL: "" when
	   the name is the extension, ".{name}" otherwise. */
	const char	*file_suffix;
};

#define US_PLUGIN_HEADER						\
	.magic = US_PLUGIN_MAGIC,					\
	.abi_major = US_PLUGIN_ABI_MAJOR,				\
	.abi_minor = US_PLUGIN_ABI_MINOR,				\
	.descriptor_size = sizeof(struct us_plugin),			\
	.model_size = sizeof(struct us_p_statement)

/* Plugins are built with hidden visibility; this is the one export. */
#define US_PLUGIN_EXPORT(...)						\
	__attribute__((visibility("default")))				\
	const struct us_plugin *const undersigned_plugins[] =		\
	    { __VA_ARGS__, NULL }

#endif
