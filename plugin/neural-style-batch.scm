; neural-style-batch.scm: restyle every image of a folder with plug-in-neural-style.
;
;   gimp-console-2.10 -i \
;     -b '(begin (load "/usr/local/share/gimp-neural-style/scripts/neural-style-batch.scm")
;                (neural-style-batch "photos" "*.jpg" "restyled" "starry-night" 0.8 512))' \
;     -b '(gimp-quit 0)'
;
; (neural-style-batch IN-DIR PATTERN OUT-DIR STYLE ALPHA STYLE-SIZE) restyles each
; file of IN-DIR matching PATTERN with AdaIN after STYLE (a file or a bundled
; style's name) and writes OUT-DIR/NAME.png (NAME: the file's name without its
; extension).  A file that fails is reported and skipped; the last message says
; how many were restyled.  OUT-DIR must exist.

(define (neural-style-batch--base-name path)
  (let* ((file (car (last (strbreakup path "/"))))
         (parts (strbreakup file ".")))
    (if (> (length parts) 1)
        (unbreakupstr (butlast parts) ".")
        file)))

; Runs thunk; #f when it raised an error, after reporting the error.
(define (neural-style-batch--try what thunk)
  (call/cc (lambda (k)
    (let ((old *error-hook*))
      (set! *error-hook*
            (lambda args
              (set! *error-hook* old)
              (gimp-message (string-append "neural-style-batch: " what ": "
                                           (if (string? (car args)) (car args) "failed")))
              (k #f)))
      (let ((r (thunk))) (set! *error-hook* old) r)))))

(define (neural-style-batch--one in out style alpha style-size)
  (let* ((image (car (gimp-file-load RUN-NONINTERACTIVE in in)))
         (source (car (gimp-image-get-active-layer image)))
         (layer (car (plug-in-neural-style RUN-NONINTERACTIVE image source 0 style -1
                                           alpha 1 0 style-size 0
                                           "" -1 0 0))))   ; no second style
    (file-png-save2 RUN-NONINTERACTIVE image layer out out 0 9 0 0 0 0 0 0 0)
    (gimp-image-delete image)
    #t))

(define (neural-style-batch in-dir pattern out-dir style alpha style-size)
  (let loop ((files (cadr (file-glob (string-append in-dir "/" pattern) 1)))
             (done 0) (total 0))
    (if (null? files)
        (begin
          (gimp-message (string-append "neural-style-batch: restyled " (number->string done)
                                       " of " (number->string total) " images into " out-dir))
          done)
        (let* ((in (car files))
               (out (string-append out-dir "/" (neural-style-batch--base-name in) ".png"))
               (ok (neural-style-batch--try in (lambda ()
                     (neural-style-batch--one in out style alpha style-size)))))
          (if ok (gimp-message (string-append "neural-style-batch: " in " -> " out)))
          (loop (cdr files) (if ok (+ done 1) done) (+ total 1))))))
