#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "when.h"

static int	when_parse(const char *, struct tm *);

/*
 * Day and month names are written here rather than taken from the C
 * library's locale: the server's locales are not the reader's, and
 * Russian needs the genitive month ("9 декабря").
 */
static const char *const days_en[] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday"
};
static const char *const months_en[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December"
};
static const char *const days_ru[] = {
	"воскресенье", "понедельник", "вторник", "среда", "четверг",
	"пятница", "суббота"
};
static const char *const months_ru[] = {
	"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	"августа", "сентября", "октября", "ноября", "декабря"
};

/*
 * local is the wall-clock time in zone, "YYYY-MM-DDTHH:MM" (seconds and
 * anything after them ignored); lang "ru" or else English.  Appends to
 * b; US_FAIL, appending nothing, when local is not such a time.
 */
static int
when_parse(const char *local, struct tm *tm)
{
	const char	*shape = "dddd-dd-ddTdd:dd";
	size_t		 i;
	int		 y, m, d;

	if (local == NULL || strlen(local) < 16)
		return (0);
	for (i = 0; i < 16; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)local[i]) :
		    local[i] != shape[i] && !(i == 10 && local[i] == ' '))
			return (0);
	y = atoi(local);
	m = atoi(local + 5);
	d = atoi(local + 8);
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return (0);
	memset(tm, 0, sizeof(*tm));
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = 12;
	return (timegm(tm) != (time_t)-1 && tm->tm_mday == d);
}

int
us_when_text(struct us_buf *b, const char *lang, const char *local,
    const char *zone)
{
	struct tm	 tm;
	int		 y, m, d;

	if (!when_parse(local, &tm))
		return (0);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	d = tm.tm_mday;
	us_buf_append(b, local + 11, 5);
	if (zone != NULL && *zone != '\0')
		us_buf_appendf(b, " (%s)", zone);
	if (lang != NULL && strcmp(lang, "ru") == 0)
		us_buf_appendf(b, ", %s, %d %s %d", days_ru[tm.tm_wday], d,
		    months_ru[m - 1], y);
	else
		us_buf_appendf(b, ", %s %d %s %d", days_en[tm.tm_wday], d,
		    months_en[m - 1], y);
	return (1);
}

/*
 * The shorter form of a moment in a list (the audit log, the moderation
 * view, tokens): date first, then the time and the zone named, e.g.
 * "9 December 2026, 14:02 (Asia/Bishkek)", "9 декабря 2026, 14:02
 * (Asia/Bishkek)".  Same input and result as us_when_text.
 */
int
us_when_stamp(struct us_buf *b, const char *lang, const char *local,
    const char *zone)
{
	struct tm	 tm;

	if (!when_parse(local, &tm))
		return (0);
	us_buf_appendf(b, "%d %s %d, %.5s", tm.tm_mday, lang != NULL &&
	    strcmp(lang, "ru") == 0 ? months_ru[tm.tm_mon] :
	    months_en[tm.tm_mon], tm.tm_year + 1900, local + 11);
	if (zone != NULL && *zone != '\0')
		us_buf_appendf(b, " (%s)", zone);
	return (1);
}

/*
 * Whether an urgent action has expired: its last day, expires_on
 * ("YYYY-MM-DD"), has ended where the statement keeps its time, i.e. the
 * date of now_local (the wall clock in the statement's zone now,
 * "YYYY-MM-DDTHH:MM:SS", which the caller reads from a source that knows
 * the zone's rules) is later.  The whole of the last day counts, up to
 * 23:59:59 there.  No expiry date, or one that is not a date, never
 * expires; an unreadable clock is treated as expired, since refusing a
 * signature is safer than taking one for an action that is over.
 */
int
us_when_expired(const char *expires_on, const char *now_local)
{
	size_t	i;

	if (expires_on == NULL || strlen(expires_on) != 10)
		return (0);
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? expires_on[i] != '-' :
		    !isdigit((unsigned char)expires_on[i]))
			return (0);
	if (now_local == NULL || strlen(now_local) < 10)
		return (1);
	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? now_local[i] != '-' :
		    !isdigit((unsigned char)now_local[i]))
			return (1);
	/* Both are zero-padded ISO dates: text order is date order. */
	return (strncmp(now_local, expires_on, 10) > 0);
}
