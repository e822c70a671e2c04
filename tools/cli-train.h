/* neural-style train: trains the AdaIN decoder on the engine (see
 * engine/ns-decoder-train.h) from folders of photographs and paintings and
 * writes it in the engine's layout. */
#pragma once

int ns_cli_train (int argc, char **argv);
