# Restyles an image with an installed plug-in in headless GIMP, the way a user calls it
# (sourced by the install tests; needs tap-lib.sh's is_png).
#   gimp_restyle PLUGIN_EXE SCRIPTS_DIR IN_JPG OUT_PNG
# PLUGIN_EXE's path says which GIMP reads it (.../gimp/2.0/plug-ins/... or GIMP/2.10/...:
# GIMP 2.10, through SCRIPTS_DIR/neural-style-batch.scm; 3.0: GIMP 3, Script-Fu v3 with
# named arguments).  Succeeds when OUT_PNG is a PNG.
gimp_restyle () {
  local plugin=$1 scripts=$2 in=$3 out=$4 dir
  dir=$(mktemp -d)
  case $plugin in
    */gimp/2.0/plug-ins/*|*/GIMP/2.10/plug-ins/*)
      echo "GIMP 2.10: $plugin"
      mkdir "$dir/in" "$dir/out"
      cp "$in" "$dir/in/image.jpg"
      timeout 600 gimp-console-2.10 -i -b "(begin (load \"$scripts/neural-style-batch.scm\")
          (neural-style-batch \"$dir/in\" \"*.jpg\" \"$dir/out\" \"starry-night\" 0.8 256))" \
        -b '(gimp-quit 0)'
      cp "$dir/out/image.png" "$out" ;;
    */gimp/3.0/plug-ins/*|*/GIMP/3.0/plug-ins/*)
      echo "GIMP 3: $plugin"
      timeout 600 gimp-console-3.0 -i --batch-interpreter=plug-in-script-fu-eval -b "(begin (script-fu-use-v3)
        (let* ((img (gimp-file-load RUN-NONINTERACTIVE \"$in\"))
               (src (vector-ref (gimp-image-get-layers img) 0))
               (layer (plug-in-neural-style #:run-mode RUN-NONINTERACTIVE #:image img #:drawables (vector src)
                        #:style-file \"starry-night\" #:alpha 0.8 #:style-size 256)))
          (gimp-item-set-visible src #f)
          (gimp-file-save RUN-NONINTERACTIVE (gimp-image-duplicate img) \"$out\" -1)))" --quit ;;
    *) echo "which GIMP reads $plugin?" ;;
  esac
  rm -rf "$dir"
  is_png "$out" || { echo "no PNG written to $out"; return 1; }
}
