/* Where the weights files are found: the directory in $NEURAL_STYLE_WEIGHTS
 * when it is set (and only there), else the install location, else the
 * build's weights_dir option (for uninstalled builds). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define NS_WEIGHTS_VGG_FILE "vgg19-conv.safetensors"
#define NS_WEIGHTS_DECODER_FILE "adain-decoder.safetensors"

/* Newly allocated absolute path of the named weights file, or NULL with a
 * G_FILE_ERROR_NOENT error listing the places searched. */
char *ns_weights_find_file (const char *basename, GError **error);

G_END_DECLS
