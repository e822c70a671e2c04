; Script-Fu side of test-gimp-undo.sh, loaded into GIMP's Script-Fu server.

; Everything about the image that an undo step could change, as one line:
; each layer (ID, name, opacity, visibility, size, offsets, its pixels' mean
; and standard deviation, its mask and the mask's mean) and the selection's
; bounds; each layer's pixels are also saved to DIR/TAG-<index>.png, to be
; compared byte for byte (file-png-save2 with no timestamp is deterministic).
(define (ns-hist drawable)
  (let ((h (gimp-drawable-histogram drawable HISTOGRAM-VALUE 0.0 1.0)))
    (string-append (number->string (car h)) "/" (number->string (cadr h)))))

(define (ns-state img dir tag)
  (let loop ((layers (vector->list (cadr (gimp-image-get-layers img)))) (i 0)
             (out (string-append "layers=" (number->string (car (gimp-image-get-layers img))) ";")))
    (if (null? layers)
        (let ((b (gimp-selection-bounds img)))
          (string-append out "selection=" (number->string (car b)) ","
                         (number->string (cadr b)) "," (number->string (caddr b)) ","
                         (number->string (cadddr b)) "," (number->string (car (cddddr b)))))
        (let* ((l (car layers))
               (mask (car (gimp-layer-get-mask l)))
               (file (string-append dir "/" tag "-" (number->string i) ".png")))
          (file-png-save2 RUN-NONINTERACTIVE img l file file 0 9 0 0 0 0 0 0 0)
          (loop (cdr layers) (+ i 1)
                (string-append out (number->string l) ":" (car (gimp-item-get-name l))
                               ":" (number->string (car (gimp-layer-get-opacity l)))
                               ":" (number->string (car (gimp-item-get-visible l)))
                               ":" (number->string (car (gimp-drawable-width l)))
                               "x" (number->string (car (gimp-drawable-height l)))
                               "@" (number->string (car (gimp-drawable-offsets l)))
                               "," (number->string (cadr (gimp-drawable-offsets l)))
                               ":" (ns-hist l)
                               ":mask=" (if (= mask -1) "none" (ns-hist mask)) ";"))))))
