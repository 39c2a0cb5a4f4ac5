/*
 * us_plugin / us_model: the server's side of the output plugin ABI
 * (plugins/undersigned-plugin.h).  The loader opens every .so of the
 * plugin directory at start-up and checks each descriptor field by field;
 * the model turns the JSON form of a statement (built from the database,
 * or read from a file by `bin/undersigned render`) into the read-only
 * struct a plugin renders.  Plain C: used by the Kore module and the CLI.
 */
#ifndef US_PLUGIN_LOADER_H
#define US_PLUGIN_LOADER_H

#include <jansson.h>

#include "core/buf.h"
#include "core/error.h"
#include "undersigned-plugin.h"

struct us_format {
	const struct us_plugin	*p;		/* the server's copy */
	char			*path;
	char			 id[80];	/* the file's identity */
};

struct us_plugins {
	struct us_format	*v;
	size_t			 n;
	void			**handles;
	size_t			 nhandles;
};

typedef void	(*us_plugin_report)(const char *, const char *);

int	 us_plugins_load(struct us_plugins *, const char *, us_plugin_report);
void	 us_plugins_unload(struct us_plugins *);
const struct us_format *us_plugins_find(const struct us_plugins *,
	    const char *);
int	 us_plugin_check(const struct us_plugin *, char *, size_t);
void	 us_plugin_filename(const struct us_plugin *, const char *,
	    const char *, char *, size_t);
int	 us_plugin_render(const struct us_plugin *,
	    const struct us_p_statement *, struct us_buf *, struct us_error *);

/* The model a plugin sees, and what keeps its strings alive. */
struct us_model {
	struct us_p_statement		 st;
	json_t				*doc;
	struct us_p_embargo		 embargo;
	struct us_p_addressee		*addressees;
	struct us_p_addressee		**addressee_ptrs;
	struct us_p_signatory		*signatories;
	struct us_p_signatory		**signatory_ptrs;
	struct us_p_country_count	*countries;
	struct us_p_country_count	**country_ptrs;
	struct us_p_media_contact	*contacts;
	struct us_p_media_contact	**contact_ptrs;
	struct us_p_action_count	*actions;
	struct us_p_action_count	**action_ptrs;
	char				*lede;
	char				*body_html;
	char				**strings;	/* made here, freed */
	size_t				 nstrings;
	const char			**row_codes;	/* of compact rows */
	const char			**row_names;
};

int	us_model_build(struct us_model *, json_t *, struct us_error *);
struct us_siglist;
int	us_model_build_rows(struct us_model *, json_t *,
	    const struct us_siglist *, struct us_error *);
void	us_model_free(struct us_model *);

/* cache.c: rendered files on disk, shared by processes. */
typedef int	(*us_cache_make)(void *, struct us_buf *, struct us_error *);

int	us_cache_fetch(const char *, const char *, const char *,
	    struct us_buf *, us_cache_make, void *, struct us_error *);
int	us_cache_size(const char *, const char *, size_t *);
void	us_cache_refuse(const char *, const char *, const char *);
int	us_cache_refused(const char *, const char *);

#endif
