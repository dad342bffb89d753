// CEditLine: libedit's native API (histedit.h) for the repl's line editor.
//
// Swift cannot call C variadic functions, and el_set, el_get and history are
// all variadic. Each operation the line editor needs gets a fixed-arity
// `static inline` wrapper here; everything else (el_gets, el_line, el_cursor,
// el_insertstr, el_deletestr, el_push, el_end, history_end) is called directly.
// The C globals the editor touches (stdin/stdout/stderr, the locale) are
// reached through these wrappers too, so Swift never names a mutable C global.
#ifndef RECSCRIPT_CEDITLINE_SHIM_H
#define RECSCRIPT_CEDITLINE_SHIM_H

#include <histedit.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

/// The prompt callback: returns the prompt text, owned by the caller's state.
typedef char *(*recs_prompt_function)(EditLine *);
/// A user-defined editor command (EL_ADDFN): returns one of the CC_* codes.
typedef unsigned char (*recs_command_function)(EditLine *, int);

// MARK: - Locale

/// Returns 1 when the LC_CTYPE codeset is UTF-8.
static inline int recs_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/// Takes LC_CTYPE from the environment, falling back to C.UTF-8 when that is
/// not a UTF-8 locale (tmux, cron and CI often run with LANG unset), so that
/// libedit decodes multi-byte input. Must run before el_init. Returns 1 when
/// the resulting codeset is UTF-8.
static inline int recs_locale_use_utf8(void) {
    setlocale(LC_CTYPE, "");
    if (recs_locale_is_utf8()) return 1;
    if (setlocale(LC_CTYPE, "C.UTF-8") != NULL && recs_locale_is_utf8()) return 1;
    return 0;
}

// MARK: - EditLine

/// el_init on the process's standard streams.
static inline EditLine *recs_el_init(const char *program) {
    return el_init(program, stdin, stdout, stderr);
}

static inline int recs_el_set_editor(EditLine *el, const char *mode) {
    return el_set(el, EL_EDITOR, mode);
}

static inline int recs_el_set_prompt(EditLine *el, recs_prompt_function prompt) {
    return el_set(el, EL_PROMPT, prompt);
}

/// Lets libedit catch SIGWINCH, SIGTSTP/SIGCONT, SIGTERM... while it owns the tty.
static inline int recs_el_set_signal(EditLine *el, int on) {
    return el_set(el, EL_SIGNAL, on);
}

static inline int recs_el_set_history(EditLine *el, History *history_state) {
    return el_set(el, EL_HIST, history, history_state);
}

/// An opaque pointer the callbacks get back with recs_el_clientdata.
static inline int recs_el_set_clientdata(EditLine *el, void *data) {
    return el_set(el, EL_CLIENTDATA, data);
}

static inline void *recs_el_clientdata(EditLine *el) {
    void *data = NULL;
    if (el_get(el, EL_CLIENTDATA, &data) != 0) return NULL;
    return data;
}

/// Registers a named editor command implemented by `function`.
static inline int recs_el_add_function(EditLine *el, const char *name, const char *help,
                                       recs_command_function function) {
    return el_set(el, EL_ADDFN, name, help, function);
}

/// Binds a key (in bind(1) notation: "^I", "^R", "\\e[A") to a named command.
static inline int recs_el_bind(EditLine *el, const char *key, const char *command) {
    return el_set(el, EL_BIND, key, command, (const char *)NULL);
}

/// One stty-like setting for a tty mode: mode "-d" is the editing mode,
/// setting "-isig", "-intr" (the character is disabled in that mode) and so on.
static inline int recs_el_set_tty(EditLine *el, const char *mode, const char *setting) {
    return el_set(el, EL_SETTY, mode, setting, (const char *)NULL);
}

/// With 1, puts the terminal in libedit's editing (raw) mode now; with 0, back to the
/// mode commands run in. el_gets itself enters raw mode only after printing the prompt.
static inline int recs_el_prepare_terminal(EditLine *el, int editing) {
    return el_set(el, EL_PREP_TERM, editing);
}

/// Redraws the prompt and line from the current terminal position, which must
/// be the start of a line (libedit forgets what it had drawn).
static inline int recs_el_redraw(EditLine *el) {
    return el_set(el, EL_REFRESH);
}

/// The terminal width libedit uses (kept current on SIGWINCH), or 0.
static inline int recs_el_columns(EditLine *el) {
    int columns = 0;
    if (el_get(el, EL_GETTC, "co", &columns, (void *)NULL) != 0) return 0;
    return columns;
}

/// The stream libedit writes the line to.
static inline FILE *recs_el_output(EditLine *el) {
    FILE *file = NULL;
    if (el_get(el, EL_GETFP, 1, &file) != 0) return NULL;
    return file;
}

// MARK: - History

static inline int recs_history_set_size(History *h, int size) {
    HistEvent event;
    return history(h, &event, H_SETSIZE, size);
}

/// With `on`, an entry equal to the newest one is not entered again.
static inline int recs_history_set_unique(History *h, int on) {
    HistEvent event;
    return history(h, &event, H_SETUNIQUE, on);
}

static inline int recs_history_enter(History *h, const char *entry) {
    HistEvent event;
    return history(h, &event, H_ENTER, entry);
}

static inline int recs_history_count(History *h) {
    HistEvent event;
    if (history(h, &event, H_GETSIZE) == -1) return 0;
    return event.num;
}

/// Appends the entries of a file written by recs_history_save; -1 on failure.
static inline int recs_history_load(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_LOAD, path);
}

/// Writes every entry (mode 0600); returns how many, or -1 on failure.
static inline int recs_history_save(History *h, const char *path) {
    HistEvent event;
    return history(h, &event, H_SAVE, path);
}

#endif
