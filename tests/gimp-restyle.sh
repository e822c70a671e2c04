# Restyles an image with an installed plug-in in headless GIMP, the way the README tells
# users to (the installed Script-Fu batch script; sourced by the install tests; needs
# tap-lib.sh's is_png).
#   gimp_restyle PLUGIN_EXE SCRIPTS_DIR IN_JPG OUT_PNG
# PLUGIN_EXE's path says which GIMP reads it: .../gimp/2.0/plug-ins/... or .../GIMP/2.10/...
# is GIMP 2.10's (neural-style-batch.scm), .../3.0/... GIMP 3's (neural-style-batch-3.scm).
# Succeeds when OUT_PNG is a PNG (and the script's header names where it is installed).
gimp_restyle () {
  local plugin=$1 scripts=$2 in=$3 out=$4 dir batch script
  case $plugin in
    */gimp/2.0/plug-ins/*|*/GIMP/2.10/plug-ins/*)
      batch=(gimp-console-2.10 -i -b '(gimp-quit 0)') script=neural-style-batch.scm ;;
    */gimp/3.0/plug-ins/*|*/GIMP/3.0/plug-ins/*)
      batch=(gimp-console-3.0 -i --quit --batch-interpreter=plug-in-script-fu-eval) script=neural-style-batch-3.scm ;;
    *) echo "which GIMP reads $plugin?"; return 1 ;;
  esac
  echo "${batch[0]}: $plugin"
  grep -q "(load \"$scripts/$script\")" "$scripts/$script" \
    || { echo "the header of $scripts/$script does not name where it is installed"; return 1; }
  dir=$(mktemp -d)
  mkdir "$dir/in" "$dir/out"
  cp "$in" "$dir/in/image.jpg"
  # GIMP runs the -b commands in order: the restyling goes before 2.10's (gimp-quit 0).
  timeout 600 "${batch[@]:0:2}" -b "(begin (load \"$scripts/$script\")
      (neural-style-batch \"$dir/in\" \"*.jpg\" \"$dir/out\" \"starry-night\" 0.8 256))" "${batch[@]:2}"
  cp "$dir/out/image.png" "$out"
  rm -rf "$dir"
  is_png "$out" || { echo "no PNG written to $out"; return 1; }
}
