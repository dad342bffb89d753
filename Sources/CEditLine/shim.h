// Placeholder, replaced with the libedit shim.
#include <histedit.h>
