/* Device tensors for the kernel tests: host floats up and down, asserting success. */
#pragma once

#include "ns-tensor.h"

NsTensor *ns_test_upload (NsClContext *ctx, int channels, int height, int width, const float *host);
/* A newly allocated copy of the tensor's values. */
float *ns_test_download (const NsTensor *tensor);
