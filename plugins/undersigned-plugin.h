/*
 * undersigned output plugin ABI, version 1.
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
 * The loader checks every field of US_PLUGIN_HEADER against its own and
 * refuses a plugin built for another ABI, naming the field.  All strings
 * are UTF-8 and NUL-terminated; optional ones are NULL when absent, never
 * "".  The model is read-only and lives for the duration of render().
 * render() may be called from several threads at once, each with its own
 * model and sink: keep no mutable global state (or lock it).  See
 * docs/plugins.md for a complete example and the JSON form of the model.
 */
#ifndef UNDERSIGNED_PLUGIN_H
#define UNDERSIGNED_PLUGIN_H

#include <stddef.h>

#define US_PLUGIN_ABI_VERSION	1
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
};

struct us_p_signatory {
	unsigned int	 position;	/* 1, 2, 3 ... in display order */
	const char	*organisation;
	const char	*acronym;
	const char	*country;	/* ISO 3166-1 alpha-2 */
	const char	*country_name;	/* in the statement's language */
	const char	*signed_on;	/* YYYY-MM-DD */
};

struct us_p_country_count {
	const char	*country;	/* alpha-2 */
	const char	*country_name;
	unsigned int	 count;		/* named organisations only */
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

struct us_p_statement {
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
	const struct us_p_media_contact	*media_contacts;
	size_t		 nmedia_contacts;

	const struct us_p_addressee	*addressees;
	size_t		 naddressees;

	const struct us_p_signatory	*signatories;	/* named only */
	size_t		 nsignatories;
	/*
	 * An organisation that signed counted, not named exists here only
	 * as part of unnamed_count: never in signatories, countries or
	 * ncountries, which would tell where it works.
	 */
	size_t		 unnamed_count;	/* signed, counted, not named */
	size_t		 signature_count; /* nsignatories + unnamed_count */
	const struct us_p_country_count	*countries;	/* named, most first */
	size_t		 ncountries;
};

/*
 * Where output goes.  write() appends bytes and returns US_PLUGIN_OK or
 * US_PLUGIN_ERROR; error() records why a render failed (printf-style),
 * after which render() should return US_PLUGIN_ERROR.
 */
struct us_p_sink {
	void	*ctx;
	int	(*write)(struct us_p_sink *, const void *, size_t);
	void	(*error)(struct us_p_sink *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
};

struct us_plugin {
	/* US_PLUGIN_HEADER: checked field by field at load. */
	unsigned int	 magic;
	unsigned int	 abi_version;
	size_t		 descriptor_size;
	size_t		 model_size;

	const char	*name;		/* [a-z0-9-]+, unique: the URL part */
	const char	*title;		/* for people: "PDF document" */
	const char	*mime_type;	/* "application/pdf" */
	const char	*extension;	/* "pdf", no dot */
	const char	*version;	/* the plugin's own */

	int		(*init)(void);		/* optional, once at load */
	void		(*cleanup)(void);	/* optional, at unload */
	int		(*render)(const struct us_p_statement *,
			    struct us_p_sink *);
};

#define US_PLUGIN_HEADER						\
	.magic = US_PLUGIN_MAGIC,					\
	.abi_version = US_PLUGIN_ABI_VERSION,				\
	.descriptor_size = sizeof(struct us_plugin),			\
	.model_size = sizeof(struct us_p_statement)

/* Plugins are built with hidden visibility; this is the one export. */
#define US_PLUGIN_EXPORT(...)						\
	__attribute__((visibility("default")))				\
	const struct us_plugin *const undersigned_plugins[] =		\
	    { __VA_ARGS__, NULL }

#endif
