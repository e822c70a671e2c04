# The GIMP 3 side of test-gimp3-plugin.sh, run by Python-Fu:
#   gimp-console-3.0 -i --batch-interpreter=python-fu-eval -b 'exec(open(THIS).read())'
# with NSTEST_CASE naming one case and NSTEST_* its files.  Each case prints
# "NSTEST case key=value" lines for the shell to check, and raises (a failed
# batch: exit status 70) when GIMP itself misbehaves.
import hashlib
import os
import time
import gi
gi.require_version("Gegl", "0.4")
from gi.repository import Gegl, Gimp, Gio


def env(key):
    return os.environ["NSTEST_" + key]


def report(case, key, value):
    print("NSTEST %s %s=%s" % (case, key, value), flush=True)


def load(path):
    return Gimp.file_load(Gimp.RunMode.NONINTERACTIVE, Gio.File.new_for_path(path))


def save_layer(layer, path):
    """The layer alone, as a PNG of its own size."""
    image = Gimp.Image.new(layer.get_width(), layer.get_height(), Gimp.ImageBaseType.RGB)
    copy = Gimp.Layer.new_from_drawable(layer, image)
    image.insert_layer(copy, None, 0)
    copy.set_offsets(0, 0)
    Gimp.file_save(Gimp.RunMode.NONINTERACTIVE, image, Gio.File.new_for_path(path), None)
    image.delete()


def restyle(image, layer, mode=Gimp.RunMode.NONINTERACTIVE, **args):
    """Calls the procedure with named arguments; returns (status, layer or error text)."""
    proc = Gimp.get_pdb().lookup_procedure("plug-in-neural-style")
    config = proc.create_config()
    config.set_property("run-mode", mode)
    config.set_property("image", image)
    config.set_core_object_array("drawables", [layer])
    for name, value in args.items():
        config.set_property(name.replace("_", "-"), value)
    result = proc.run(config)
    status = result.index(0)
    if status == Gimp.PDBStatusType.SUCCESS:
        return status, result.index(1)
    return status, Gimp.PDB.get_last_error(Gimp.get_pdb())


def report_run(case, image, status, layer, out=None):
    report(case, "status", status.value_nick)
    report(case, "layers", len(image.get_layers()))
    report(case, "dirty", image.is_dirty())
    if status == Gimp.PDBStatusType.SUCCESS:
        report(case, "name", layer.get_name())
        report(case, "size", "%dx%d" % (layer.get_width(), layer.get_height()))
        report(case, "offsets", "%d,%d" % tuple(layer.get_offsets()[1:]))
        report(case, "position", image.get_item_position(layer))
        if out:
            save_layer(layer, out)
    else:
        report(case, "error", layer)


def case_params():
    """The procedure's arguments after run-mode, image and drawables are the table's, in its order."""
    proc = Gimp.get_pdb().lookup_procedure("plug-in-neural-style")
    args = proc.get_arguments()[3:]
    rows = [line.rstrip("\n").split("|") for line in open(env("TABLE"))]
    mismatches = []
    if [a.get_name() for a in args] != [r[0] for r in rows]:
        mismatches.append("names %s" % [a.get_name() for a in args])
    for spec, (name, kind, default, lo, hi, choices) in zip(args, rows):
        if kind == "choice":
            choice = Gimp.param_spec_choice_get_choice(spec)
            nicks = ",".join("%s=%d" % (n, choice.get_id(n)) for n in choice.list_nicks())
            got = (Gimp.param_spec_choice_get_default(spec), nicks)
            want = (default, choices)
        elif kind in ("int", "double"):
            got = (float(spec.get_default_value()), float(spec.minimum), float(spec.maximum))
            want = (float(default), float(lo), float(hi))
        elif kind == "style":
            got, want = spec.get_default_value(), default
        else:
            got, want = spec.value_type.name, "GimpDrawable"
        if got != want:
            mismatches.append("%s: %s, not %s" % (name, got, want))
    report("params", "mismatches", "; ".join(mismatches) or "none")


def case_full():
    image = load(env("CONTENT"))
    source = image.get_layers()[0]
    source.set_offsets(5, 7)
    image.clean_all()
    status, layer = restyle(image, source, style_file="starry-night", alpha=0.8, style_size=64)
    report_run("full", image, status, layer, env("OUT"))


def case_choices():
    """Choice arguments by nick: colour preservation and a blended second style."""
    image = load(env("CONTENT"))
    source = image.get_layers()[0]
    status, layer = restyle(image, source, style_file="starry-night", style_size=64, preserve_colour="luminance",
                            style2_file="the-scream", style2_weight=0.25, style2_mode="blend")
    report_run("choices", image, status, layer, env("OUT"))


def case_bad():
    """A style file that does not exist: the image stays as it was (not even dirty), and GIMP says why."""
    image = load(env("CONTENT"))
    source = image.get_layers()[0]
    image.clean_all()
    status, error = restyle(image, source, style_file="/nonexistent/painting.png")
    report_run("bad", image, status, error)


def case_bad_choice():
    """A nick that is not a choice: refused by GIMP before the plug-in runs."""
    image = load(env("CONTENT"))
    source = image.get_layers()[0]
    proc = Gimp.get_pdb().lookup_procedure("plug-in-neural-style")
    config = proc.create_config()
    try:
        config.set_property("method", "fast")
        accepted = config.get_property("method") == "fast"
    except Exception:
        accepted = False
    report("bad-choice", "accepted", accepted)
    report("bad-choice", "layers", len(image.get_layers()))


def case_indexed():
    """A paletted image: the new layer takes the palette."""
    image = load(env("CONTENT"))
    image.convert_indexed(Gimp.ConvertDitherType.NONE, Gimp.ConvertPaletteType.GENERATE, 64, False, False, "")
    source = image.get_layers()[0]
    image.clean_all()
    status, layer = restyle(image, source, style_file="starry-night", style_size=64)
    report_run("indexed", image, status, layer)
    if status == Gimp.PDBStatusType.SUCCESS:
        report("indexed", "indexed", layer.is_indexed())


def case_last():
    """Non-interactive runs leave the last values alone: Repeat uses the defaults (alpha 1)."""
    image = load(env("CONTENT"))
    source = image.get_layers()[0]
    restyle(image, source, style_file="the-scream", alpha=0.3, style_size=64)
    status, layer = restyle(image, source, mode=Gimp.RunMode.WITH_LAST_VALS)
    report_run("last", image, status, layer)


def case_dialog():
    """With GIMP's windows: the dialog (the test presses OK), then Repeat with its values, then on a
    larger image OK and Cancel in the progress window; each outcome is reported, then GIMP quits."""
    image = load(env("CONTENT"))
    Gimp.Display.new(image)
    status, layer = restyle(image, image.get_layers()[0], mode=Gimp.RunMode.INTERACTIVE)
    report_run("dialog", image, status, layer, env("OUT"))
    status, layer = restyle(image, image.get_layers()[1], mode=Gimp.RunMode.WITH_LAST_VALS)
    report_run("repeat", image, status, layer, env("OUT_REPEAT"))
    big = load(env("BIG"))
    Gimp.Display.new(big)
    status, layer = restyle(big, big.get_layers()[0], mode=Gimp.RunMode.INTERACTIVE)
    report_run("cancel", big, status, layer)
    Gimp.get_pdb().run_procedure("gimp-quit", [True])


def case_presets():
    """With GIMP's windows: two dialogs on one layer (the test chooses a preset in the first and resets
    the second to the defaults, pressing OK in each); each new layer is saved, then GIMP quits."""
    image = load(env("CONTENT"))
    Gimp.Display.new(image)
    source = image.get_layers()[0]
    status, layer = restyle(image, source, mode=Gimp.RunMode.INTERACTIVE)
    report_run("preset", image, status, layer, env("OUT"))
    status, layer = restyle(image, source, mode=Gimp.RunMode.INTERACTIVE)
    report_run("reset", image, status, layer, env("OUT_RESET"))
    Gimp.get_pdb().run_procedure("gimp-quit", [True])


def case_zh():
    """In Chinese: the menu label GIMP registered and a calling error's sentence."""
    proc = Gimp.get_pdb().lookup_procedure("plug-in-neural-style")
    report("zh", "label", proc.get_menu_label())
    image = load(env("CONTENT"))
    status, error = restyle(image, image.get_layers()[0], style_file="/nonexistent/painting.png")
    report("zh", "error", error)


def state(image):
    """Everything an undo step could change: each layer's name, size, offsets, pixels (a hash) and mask; the selection."""
    parts = ["layers=%d" % len(image.get_layers())]
    for layer in image.get_layers():
        w, h = layer.get_width(), layer.get_height()
        pixels = layer.get_buffer().get(Gegl.Rectangle.new(0, 0, w, h), 1.0, "R'G'B'A u8", Gegl.AbyssPolicy.NONE)
        parts.append("%s:%dx%d@%d,%d:%s:mask=%s" % (layer.get_name(), w, h, *layer.get_offsets()[1:],
                                                  hashlib.md5(bytes(pixels)).hexdigest()[:12],
                                                  layer.get_mask() is not None))
    parts.append("selection=%s" % (Gimp.Selection.bounds(image)[1:],))
    return ";".join(parts)


def handshake(name):
    """Tells the shell (a file NAME.ready) and waits until it answers (NAME.go), for a key press between."""
    open(env("DIR") + "/" + name + ".ready", "w").close()
    for _ in range(1200):
        if os.path.exists(env("DIR") + "/" + name + ".go"):
            return
        time.sleep(0.1)
    raise RuntimeError("no answer to " + name)


def case_undo():
    """With GIMP's windows: a marker change (the layer inverted inside an ellipse), then the plug-in; the
    shell presses Ctrl+Z in the image window after each handshake."""
    image = load(env("CONTENT"))
    Gimp.Display.new(image)
    source = image.get_layers()[0]
    image.select_ellipse(Gimp.ChannelOps.REPLACE, 8, 4, 40, 32)
    report("undo", "s0", state(image))
    source.invert(False)
    report("undo", "s1", state(image))
    status, layer = restyle(image, source, style_file="starry-night", alpha=0.8, style_size=64)
    Gimp.displays_flush()
    report("undo", "s2", state(image))
    handshake("first")
    report("undo", "s3", state(image))
    handshake("second")
    report("undo", "s4", state(image))
    Gimp.get_pdb().run_procedure("gimp-quit", [True])


globals()["case_" + env("CASE").replace("-", "_")]()
