; Script-Fu side of test-gimp-plugin.sh: each ns-case-* runs one scenario
; on a freshly loaded image and reports with gimp-message lines
; "NSTEST <case> <key>=<value>", which the shell script checks.

(define (ns-say case key value)
  (gimp-message (string-append "NSTEST " case " " key "="
                               (if (number? value) (number->string value) value))))

; Runs thunk; returns its result, or ("ERROR" message) when it raised an error.
(define (ns-try thunk)
  (call/cc (lambda (k)
    (let ((old *error-hook*))
      (set! *error-hook* (lambda args (set! *error-hook* old) (k (cons "ERROR" args))))
      (let ((r (thunk))) (set! *error-hook* old) r)))))

(define (ns-load file)
  (car (gimp-file-load RUN-NONINTERACTIVE file file)))

(define (ns-layer-count img) (car (gimp-image-get-layers img)))

; Reports everything about the new layer and saves its pixels as PNG.
(define (ns-report case img src layer out)
  (ns-say case "name" (car (gimp-item-get-name layer)))
  (ns-say case "size" (string-append (number->string (car (gimp-drawable-width layer))) "x"
                                     (number->string (car (gimp-drawable-height layer)))))
  (ns-say case "offsets" (string-append (number->string (car (gimp-drawable-offsets layer))) ","
                                        (number->string (cadr (gimp-drawable-offsets layer)))))
  (ns-say case "layers" (ns-layer-count img))
  (ns-say case "position" (string-append (number->string (car (gimp-image-get-item-position img layer))) ","
                                         (number->string (car (gimp-image-get-item-position img src)))))
  (ns-say case "mask" (if (= (car (gimp-layer-get-mask layer)) -1) "none" "yes"))
  (file-png-save2 RUN-NONINTERACTIVE img layer out out 0 9 0 0 0 0 0 0 0)
  (ns-say case "saved" out))

; The whole layer, moved to offsets (5, 7) on a larger canvas.
(define (ns-case-full content out alpha)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (gimp-image-resize img 80 60 5 7)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 alpha 1 0 64 0 "" -1 0 0))))
      (ns-report "full" img src layer out))))

; A rectangular selection: the result covers it exactly and needs no mask.
(define (ns-case-rect content out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 10 8 32 24)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 0 64 0 "" -1 0 0))))
      (ns-report "rect" img src layer out))))

; An elliptic selection: its bounds, and the selection as the layer mask.
(define (ns-case-ellipse content out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (gimp-image-select-ellipse img CHANNEL-OP-REPLACE 8 4 40 32)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 0 64 0 "" -1 0 0))))
      (ns-report "ellipse" img src layer out))))

; A feathered rectangle: its bounds, and a mask for the soft edge.
(define (ns-case-feather content)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (gimp-context-set-feather TRUE)
    (gimp-context-set-feather-radius 4 4)
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 16 12 32 24)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 0 64 0 "" -1 0 0))))
      (ns-say "feather" "mask" (if (= (car (gimp-layer-get-mask layer)) -1) "none" "yes"))
      (ns-say "feather" "layers" (ns-layer-count img)))))

; A layer with alpha in a linear-light float image: the alpha is kept and the
; colours (back in 8-bit) match the CLI's.
(define (ns-case-float content out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (gimp-image-convert-precision img PRECISION-FLOAT-LINEAR)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.6 1 0 64 0 "" -1 0 0))))
      (gimp-image-convert-precision img PRECISION-U8-GAMMA)
      (ns-report "float" img src layer out))))

; A grey image: a grey layer of the same size.
(define (ns-case-grey content)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (gimp-image-convert-grayscale img)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 0 64 0 "" -1 0 0))))
      (ns-say "grey" "size" (string-append (number->string (car (gimp-drawable-width layer))) "x"
                                           (number->string (car (gimp-drawable-height layer)))))
      (ns-say "grey" "is-gray" (car (gimp-drawable-is-gray layer))))))

; A paletted image (issue 16: it used to fail after the whole run, leaving the image dirty): the new
; layer takes the palette.
(define (ns-case-indexed content)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (gimp-image-convert-indexed img CONVERT-DITHER-NONE CONVERT-PALETTE-GENERATE 64 FALSE FALSE "")
    (gimp-image-clean-all img)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 0 64 0 "" -1 0 0))))
      (ns-say "indexed" "layers" (ns-layer-count img))
      (ns-say "indexed" "is-indexed" (car (gimp-drawable-is-indexed layer))))))

; One bad call: the error message and the layer count afterwards.
(define (ns-bad label img src method style style-drawable alpha iterations preserve style-size)
  (let ((r (ns-try (lambda ()
             (plug-in-neural-style RUN-NONINTERACTIVE img src method style style-drawable
                                   alpha iterations preserve style-size 0 "" -1 0 0)))))
    (ns-say (string-append "bad-" label) "error"
            (if (and (pair? r) (equal? (car r) "ERROR") (string? (cadr r))) (cadr r) "none"))
    (ns-say (string-append "bad-" label) "layers" (ns-layer-count img))))

(define (ns-case-bad content)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (ns-bad "alpha" img src 0 "starry-night" -1 1.5 1 0 64)
    (ns-bad "method" img src 7 "starry-night" -1 0.5 1 0 64)
    (ns-bad "no-style" img src 0 "" -1 0.5 1 0 64)
    (ns-bad "two-styles" img src 0 "starry-night" src 0.5 1 0 64)
    (ns-bad "missing-file" img src 0 "/nonexistent/painting.png" -1 0.5 1 0 64)
    (ns-bad "style-drawable" img src 0 "" 987654 0.5 1 0 64)
    (ns-bad "iterations" img src 0 "starry-night" -1 0.5 0 0 64)
    (ns-bad "preserve" img src 0 "starry-night" -1 0.5 1 3 64)
    (ns-bad "style-size" img src 0 "starry-night" -1 0.5 1 0 5)
    ; A run error: a selection too small for the network.
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 4 4 8 8)
    (ns-bad "tiny" img src 0 "starry-night" -1 0.5 1 0 64)))

; The procedure's arguments as GIMP 2.10 registered them: "args N=name:type" for each after the first three.
(define (ns-case-args)
  (let loop ((i 3))
    (if (< i (caddr (cddddr (gimp-procedural-db-proc-info "plug-in-neural-style"))))
        (let ((a (gimp-procedural-db-proc-arg "plug-in-neural-style" i)))
          (ns-say "args" (number->string i) (string-append (cadr a) ":" (number->string (car a))))
          (loop (+ i 1))))))

; The last values (from the key file, in a new GIMP) on the whole image.
(define (ns-case-last content out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (layer (car (plug-in-neural-style RUN-WITH-LAST-VALS img src 0 "" -1 0 0 0 0 0 "" -1 0 0))))
    (ns-report "last" img src layer out)))

; A layer as the style (the same pixels as a style file): works, named after the layer.
(define (ns-case-style-layer content style out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (style-layer (car (gimp-file-load-layer RUN-NONINTERACTIVE img style))))
    (gimp-image-insert-layer img style-layer 0 -1)
    (gimp-item-set-visible style-layer FALSE)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "" style-layer 1.0 1 0 0 0 "" -1 0 0))))
      (ns-report "style-layer" img src layer out))))

; One bad call, for the run in Chinese.
(define (ns-case-bad-alpha content label)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (ns-bad label img src 0 "starry-night" -1 1.5 1 0 64)))

; The dialog inside GIMP's user interface (test-gimp-dialog.sh presses the
; keys): first OK, whose layer is saved to out; then, on a larger image, OK
; and Cancel in the progress window, whose outcome is told by the name of the
; file saved, cancel-<status>-<layers>.png in dir (messages would open windows).
(define (ns-case-dialog content big out dir)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (display (gimp-display-new img))
         (layer (car (plug-in-neural-style RUN-INTERACTIVE img src 0 "" -1 0 0 0 0 0 "" -1 0 0))))
    (file-png-save2 RUN-NONINTERACTIVE img layer out out 0 9 0 0 0 0 0 0 0))
  (let* ((img (ns-load big))
         (src (car (gimp-image-get-active-layer img)))
         (display (gimp-display-new img))
         (r (ns-try (lambda () (plug-in-neural-style RUN-INTERACTIVE img src 0 "" -1 0 0 0 0 0 "" -1 0 0))))
         (status (cond ((and (pair? r) (equal? (car r) "ERROR")) "error")
                       ((and (pair? r) (number? (car r))) "layer")
                       ((and (pair? r) (eq? (car r) #f)) "cancelled")   ; Script-Fu's answer to GIMP_PDB_CANCEL
                       (else "other")))
         (name (string-append dir "/cancel-" status "-" (number->string (ns-layer-count img)) ".png")))
    (file-png-save2 RUN-NONINTERACTIVE img src name name 0 9 0 0 0 0 0 0 0))
  (gimp-quit 1))

; --- Colour preservation, a second style, the Gatys method ---

; The whole layer with AdaIN at alpha 0.8 and these colour and second-style settings.
(define (ns-case-controls case content out preserve style2 weight)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 preserve 64 0
                                           style2 -1 weight 0))))
    (ns-report case img src layer out)))

; The selection as a black-and-white PNG of the image's size (for the CLI's --mask).
(define (ns-save-selection img out)
  (let* ((copy (car (gimp-image-duplicate img)))
         (layer (car (gimp-layer-new copy (car (gimp-image-width copy)) (car (gimp-image-height copy))
                                     RGB-IMAGE "mask" 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer copy layer 0 -1)
    (gimp-context-push)
    (gimp-context-set-foreground '(0 0 0))
    (gimp-drawable-fill layer FILL-FOREGROUND)
    (gimp-drawable-edit-fill layer FILL-WHITE)   ; inside the selection only
    (gimp-context-pop)
    (file-png-save2 RUN-NONINTERACTIVE copy layer out out 0 9 0 0 0 0 0 0 0)
    (gimp-image-delete copy)))

; A hard-edged ellipse as the selection.
(define (ns-select-ellipse img)
  (gimp-context-push)
  (gimp-context-set-antialias FALSE)
  (gimp-context-set-feather FALSE)
  (gimp-image-select-ellipse img CHANNEL-OP-REPLACE 8 4 40 32)
  (gimp-context-pop))

; Mode 1: starry-night inside an elliptic selection, the-scream outside; the
; whole layer is restyled, without a mask.  The selection is saved for the CLI.
(define (ns-case-outside-selection content out mask-out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (ns-select-ellipse img)
    (ns-save-selection img mask-out)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 0 64 0
                                            "the-scream" -1 0.5 1))))
      (ns-report "outside-selection" img src layer out))))

; Mode 2: the same ellipse as the layer's mask, and a rectangular selection:
; the selection's bounds are restyled, the mask's part there decides the styles.
(define (ns-case-outside-mask content out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img))))
    (ns-select-ellipse img)
    (gimp-layer-add-mask src (car (gimp-layer-create-mask src ADD-MASK-SELECTION)))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 10 8 32 24)
    (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 0 64 0
                                            "the-scream" -1 0.5 2))))
      (ns-report "outside-mask" img src layer out))))

; The Gatys method, a few iterations from a fixed seed.
(define (ns-case-gatys content out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (layer (car (plug-in-neural-style RUN-NONINTERACTIVE img src 1 "starry-night" -1 1.0 5 0 64 3
                                           "" -1 0 0))))
    (ns-report "gatys" img src layer out)))

; One bad call with second-style parameters: the error message and the layer count afterwards.
(define (ns-bad2 label img src preserve style2 style2-drawable weight mode)
  (let ((r (ns-try (lambda ()
             (plug-in-neural-style RUN-NONINTERACTIVE img src 0 "starry-night" -1 0.8 1 preserve 64 0
                                   style2 style2-drawable weight mode)))))
    (ns-say (string-append "bad-" label) "error"
            (if (and (pair? r) (equal? (car r) "ERROR") (string? (cadr r))) (cadr r) "none"))
    (ns-say (string-append "bad-" label) "layers" (ns-layer-count img))))

(define (ns-case-bad-style2 content)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (gone (car (gimp-layer-new img 32 32 RGB-IMAGE "gone" 100 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img gone 0 -1)
    (gimp-image-remove-layer img gone)   ; deletes it: its ID is no longer a drawable
    (ns-bad2 "style2-weight" img src 0 "the-scream" -1 1.5 0)
    (ns-bad2 "style2-mode" img src 0 "the-scream" -1 0.5 7)
    (ns-bad2 "style2-drawable" img src 0 "" gone 0.5 0)
    (ns-bad2 "style2-both" img src 0 "the-scream" src 0.5 0)
    (ns-bad2 "style2-file" img src 0 "/nonexistent/second.png" -1 0.5 0)
    (ns-bad2 "style2-no-mask" img src 0 "the-scream" -1 0.5 2)
    (ns-bad2 "preserve-3" img src 3 "the-scream" -1 0.3 0)))

; The Gatys progress window (test-gimp-gatys-window.sh presses the keys): two
; runs with the last values (method 1 in the profile's key file) on a display;
; the first is stopped (Stop keeps the image so far as the new layer), the
; second cancelled (the image keeps its one layer).
(define (ns-case-gatys-window content out)
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (r (ns-try (lambda () (plug-in-neural-style RUN-WITH-LAST-VALS img src 0 "" -1 0 0 0 0 0 "" -1 0 0)))))
    (if (and (pair? r) (number? (car r)))
        (ns-report "stop" img src (car r) out)
        (ns-say "stop" "error" (if (and (pair? r) (equal? (car r) "ERROR") (string? (cadr r))) (cadr r) "none"))))
  (let* ((img (ns-load content))
         (src (car (gimp-image-get-active-layer img)))
         (r (ns-try (lambda () (plug-in-neural-style RUN-WITH-LAST-VALS img src 0 "" -1 0 0 0 0 0 "" -1 0 0)))))
    (ns-say "cancel" "status" (cond ((and (pair? r) (equal? (car r) "ERROR")) "error")
                                    ((and (pair? r) (number? (car r))) "layer")
                                    ((and (pair? r) (eq? (car r) #f)) "cancelled")
                                    (else "other")))
    (ns-say "cancel" "layers" (ns-layer-count img))))
