#include <string.h>

#include "errmsg.h"
#include "i18n.h"

/* The sign form's labels, exactly as assets/templates/statement.html. */
static const struct {
	const char	*field;
	const char	*label;
} errmsg_labels[] = {
	{ "organisation", US_N_("Organisation name") },
	{ "acronym", US_N_("Acronym") },
	{ "country", US_N_("Country") },
	{ "country2", US_N_("Second country") },
	{ "website", US_N_("Website") },
	{ "contact_name", US_N_("Your name") },
	{ "contact_role", US_N_("Your role in the organisation") },
	{ "email", US_N_("Email") },
	{ "comment", US_N_("Comment for the coordinators") },
};

/*
 * A sentence per field and code; a NULL field is any field of the form,
 * named by its label in place of "{label}".  The first match wins, so
 * the particular comes before the general.
 */
static const struct {
	const char	*field;
	const char	*code;
	const char	*msgid;
} errmsg_table[] = {
	{ "organisation", "required",
	    US_N_("Enter the name of your organisation.") },
	{ "contact_name", "required", US_N_("Enter your name.") },
	{ "email", "required", US_N_("Enter your email address.") },
	{ "country", "required",
	    US_N_("Choose the country where your organisation works (only an "
	    "organisation that signs without being named may leave it out).") },
	{ "country", "invalid_country", US_N_("Choose a country from the list.") },
	{ "country2", "invalid_country",
	    US_N_("Choose a country from the list.") },
	{ "email", "invalid_email",
	    US_N_("Email address must look like name@example.org.") },
	{ "email", "email_local_part",
	    US_N_("Email address: the part before the @ must be written in "
	    "Latin letters, digits and . _ + - (the domain after the @ may be "
	    "in any script). Please use such an address.") },
	{ "website", "invalid_url",
	    US_N_("Website must be an address like https://example.org, "
	    "without spaces.") },
	{ "visibility", "invalid_choice",
	    US_N_("Choose how your organisation should appear.") },
	{ "text_digest", "text_changed",
	    US_N_("The text of this statement changed after you opened it. "
	    "Please read the current text and sign again.") },
	/* The form reporting an action taken (statement.html, "action"). */
	{ "channel", "required", US_N_("Choose how you acted.") },
	{ "channel", "invalid_choice", US_N_("Choose how you acted.") },
	{ "addressee", "invalid_addressee",
	    US_N_("Choose an addressee from the list.") },
	{ "", "expired",
	    US_N_("This action has expired: signatures and reports of actions "
	    "are no longer taken.") },
	{ "", "not_open",
	    US_N_("This statement is not open: actions can be reported only "
	    "while it is.") },
	{ "", "no_addressees",
	    US_N_("This statement names no addressees, so there is no action "
	    "to report.") },
	{ NULL, "required", US_N_("{label} is required.") },
	{ NULL, "too_long", US_N_("{label} is too long; shorten it.") },
	{ NULL, "control_character",
	    US_N_("{label} contains a control character; remove it.") },
	{ NULL, "bidi_control",
	    US_N_("{label} contains a character that changes the direction "
	    "of text; remove it.") },
	{ NULL, "invalid_utf8",
	    US_N_("{label} contains characters that are not text; type it "
	    "again.") },
};

static const char *
errmsg_label(const char *field)
{
	size_t	i;

	for (i = 0; i < sizeof(errmsg_labels) / sizeof(errmsg_labels[0]); i++) {
		if (strcmp(errmsg_labels[i].field, field) == 0)
			return (errmsg_labels[i].label);
	}
	return (NULL);
}

/*
 * Appends the message for e in lang.  "{label}" is expanded here, never
 * through printf: a catalogue is not trusted with a format string.
 */
void
us_errmsg(struct us_buf *b, const char *lang, const struct us_error *e)
{
	const char	*label, *p;
	size_t		 i;

	label = errmsg_label(e->field);
	for (i = 0; i < sizeof(errmsg_table) / sizeof(errmsg_table[0]); i++) {
		if (strcmp(errmsg_table[i].code, e->code) != 0)
			continue;
		if (errmsg_table[i].field != NULL ?
		    strcmp(errmsg_table[i].field, e->field) == 0 :
		    label != NULL)
			break;
	}
	if (i == sizeof(errmsg_table) / sizeof(errmsg_table[0])) {
		us_buf_puts(b, e->message);
		return;
	}
	for (p = us_i18n(lang, errmsg_table[i].msgid); *p != '\0';) {
		if (label != NULL && strncmp(p, "{label}", 7) == 0) {
			us_buf_puts(b, us_i18n(lang, label));
			p += 7;
		} else
			us_buf_putc(b, *p++);
	}
}
