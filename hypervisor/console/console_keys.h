/* Debug keys: what a key typed while Cloison has the input focus does
 * (console/console_keys.c). Called outside the console input lock. */
#ifndef CONSOLE_KEYS_H
#define CONSOLE_KEYS_H

struct domain;
void console_debug_key(char c);
/* Run fn on every domain that can take input, under the input lock (so none
 * of them can be freed meanwhile); fn must be short and must not print
 * through the console input path. */
void console_input_for_each(void (*fn)(struct domain *d));

#endif
