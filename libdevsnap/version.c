// SPDX-License-Identifier: MIT
/* devsnap_version(): the version of the library loaded, which may differ
 * from the headers' DEVSNAP_VERSION_* a program was built with. */
#include <devsnap/version.h>
#include <devsnap/common.h>

const char *devsnap_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = DEVSNAP_VERSION_MAJOR;
	if (minor)
		*minor = DEVSNAP_VERSION_MINOR;
	if (patch)
		*patch = DEVSNAP_VERSION_PATCH;
	return DEVSNAP_VERSION_STRING;
}
