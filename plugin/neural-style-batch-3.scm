; neural-style-batch-3.scm: restyle every image of a folder with plug-in-neural-style (GIMP 3,
; Script-Fu's v3 dialect; GIMP 2.10: neural-style-batch.scm).  Installed as
; @SCRIPTS_DIR@/neural-style-batch-3.scm:
;
;   gimp-console-3.0 -i --batch-interpreter=plug-in-script-fu-eval \
;     -b '(begin (load "@SCRIPTS_DIR@/neural-style-batch-3.scm")
;                (neural-style-batch "photos" "*.jpg" "restyled" "starry-night" 0.8 512))' --quit
;
; (neural-style-batch IN-DIR PATTERN OUT-DIR STYLE ALPHA STYLE-SIZE) restyles each
; file of IN-DIR matching PATTERN with AdaIN after STYLE (a file or a bundled
; style's name) and writes OUT-DIR/NAME.png (NAME: the file's name without its
; extension; NAME.EXT.png when two files of the run share a NAME, so that no
; result replaces another).  OUT-DIR must exist: it is checked before the
; first image.  Each result and each failure is a line on standard output, and
; the last line says how many were restyled; when any image failed, or none
; matched, the batch fails and GIMP exits with status 70.

(script-fu-use-v3)

; The index of the last `ch` in `text`, or #f.
(define (neural-style-batch--last-index text ch)
  (let loop ((i (- (string-length text) 1)))
    (cond ((< i 0) #f)
          ((char=? (string-ref text i) ch) i)
          (else (loop (- i 1))))))

(define (neural-style-batch--file-name path)
  (let ((slash (neural-style-batch--last-index path #\/)))
    (if slash (substring path (+ slash 1) (string-length path)) path)))

(define (neural-style-batch--base-name path)
  (let* ((file (neural-style-batch--file-name path))
         (dot (neural-style-batch--last-index file #\.)))
    (if (and dot (> dot 0)) (substring file 0 dot) file)))

; OUT-DIR/NAME.png, or OUT-DIR/NAME.EXT.png when another of `files` has the same NAME.
(define (neural-style-batch--out-name in files out-dir)
  (let* ((name (neural-style-batch--base-name in))
         (same (let count ((fs files) (n 0))
                 (cond ((null? fs) n)
                       ((string=? (neural-style-batch--base-name (car fs)) name) (count (cdr fs) (+ n 1)))
                       (else (count (cdr fs) n))))))
    (string-append out-dir "/" (if (> same 1) (neural-style-batch--file-name in) name) ".png")))

; GIMP 3's batch mode prints what Script-Fu displays on standard output (a
; gimp-message would be a "script-fu-Warning" on standard error).
(define (neural-style-batch--say text)
  (display (string-append "neural-style-batch: " text "\n")))

; Runs thunk; #f when it raised an error, after reporting the error.
(define (neural-style-batch--try what thunk)
  (call/cc (lambda (k)
    (let ((old *error-hook*))
      (set! *error-hook*
            (lambda args
              (set! *error-hook* old)
              (neural-style-batch--say (string-append what ": " (if (string? (car args)) (car args) "failed")))
              (k #f)))
      (let ((r (thunk))) (set! *error-hook* old) r)))))

; The new layer alone goes to `out`; the image goes whatever happens.
(define (neural-style-batch--one in out style alpha style-size)
  (let* ((image #f)
         (ok (neural-style-batch--try in (lambda ()
               (set! image (gimp-file-load RUN-NONINTERACTIVE in))
               (let ((source (vector-ref (gimp-image-get-layers image) 0)))
                 (plug-in-neural-style #:run-mode RUN-NONINTERACTIVE #:image image #:drawables (vector source)
                                       #:style-file style #:alpha alpha #:style-size style-size)
                 (gimp-item-set-visible source #f)
                 (gimp-file-save RUN-NONINTERACTIVE image out -1)
                 #t)))))
    (if image (gimp-image-delete image))
    ok))

(define (neural-style-batch in-dir pattern out-dir style alpha style-size)
  (if (not (file-exists? out-dir))
      (error (string-append "neural-style-batch: the output folder " out-dir " does not exist; nothing was restyled")))
  (let ((files (file-glob (string-append in-dir "/" pattern))))
    (let loop ((rest files) (done 0) (total 0))
      (if (null? rest)
          (let ((summary (string-append "restyled " (number->string done) " of " (number->string total)
                                        " images into " out-dir)))
            (neural-style-batch--say summary)
            (if (or (= total 0) (< done total))
                (error (string-append "neural-style-batch: " summary)))
            done)
          (let* ((in (car rest))
                 (out (neural-style-batch--out-name in files out-dir))
                 (ok (neural-style-batch--one in out style alpha style-size)))
            (if ok (neural-style-batch--say (string-append in " -> " out)))
            (loop (cdr rest) (if ok (+ done 1) done) (+ total 1)))))))
