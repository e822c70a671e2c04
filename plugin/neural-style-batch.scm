; neural-style-batch.scm: restyle every image of a folder with plug-in-neural-style (GIMP 2.10;
; GIMP 3: neural-style-batch-3.scm).  Installed as @SCRIPTS_DIR@/neural-style-batch.scm:
;
;   gimp-console-2.10 -i \
;     -b '(begin (load "@SCRIPTS_DIR@/neural-style-batch.scm")
;                (neural-style-batch "photos" "*.jpg" "restyled" "starry-night" 0.8 512))' \
;     -b '(gimp-quit 0)'
;
; (neural-style-batch IN-DIR PATTERN OUT-DIR STYLE ALPHA STYLE-SIZE) restyles each
; file of IN-DIR matching PATTERN with AdaIN after STYLE (a file or a bundled
; style's name) and writes OUT-DIR/NAME.png (NAME: the file's name without its
; extension; NAME.EXT.png when two files of the run share a NAME, so that no
; result replaces another).  OUT-DIR must exist: it is checked before the
; first image.  Each result and each failure is a line on standard output, and
; the last line says how many were restyled.  When any image failed, or none
; matched, the command fails: GIMP 2.10 then says "batch command experienced an
; execution error" with that line on standard error, but its batch mode exits 0
; whatever happens (GIMP 3's script exits 70).

(define (neural-style-batch--file-name path)
  (car (last (strbreakup path "/"))))

(define (neural-style-batch--base-name path)
  (let* ((file (neural-style-batch--file-name path))
         (parts (strbreakup file ".")))
    (if (> (length parts) 1)
        (unbreakupstr (butlast parts) ".")
        file)))

; OUT-DIR/NAME.png, or OUT-DIR/NAME.EXT.png when another of `files` has the same NAME.
(define (neural-style-batch--out-name in files out-dir)
  (let* ((name (neural-style-batch--base-name in))
         (same (let count ((fs files) (n 0))
                 (cond ((null? fs) n)
                       ((string=? (neural-style-batch--base-name (car fs)) name) (count (cdr fs) (+ n 1)))
                       (else (count (cdr fs) n))))))
    (string-append out-dir "/" (if (> same 1) (neural-style-batch--file-name in) name) ".png")))

; GIMP 2.10's batch mode keeps what Script-Fu displays to itself, and prints a
; gimp-message on standard error as "script-fu-Warning: ...": a line of progress
; goes to the process's standard output instead, opened for appending (a log
; file is not truncated).  Where there is no /dev/stdout, it is a message.
(define (neural-style-batch--say text)
  (let ((line (string-append "neural-style-batch: " text))
        (port (open-input-output-file "/dev/stdout")))
    (if (port? port)
        (begin (display line port) (newline port) (close-port port))
        (gimp-message line))))

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

(define (neural-style-batch--one in out style alpha style-size)
  (let* ((image (car (gimp-file-load RUN-NONINTERACTIVE in in)))
         (source (car (gimp-image-get-active-layer image))))
    ; The image goes whatever happens: a failed call must not leave it (and its buffers) behind.
    (let ((ok (neural-style-batch--try in (lambda ()
                (let ((layer (car (plug-in-neural-style RUN-NONINTERACTIVE image source 0 style -1
                                                        alpha 300 0 style-size 0
                                                        "" -1 0.5 0))))   ; no second style
                  (file-png-save2 RUN-NONINTERACTIVE image layer out out 0 9 0 0 0 0 0 0 0)
                  #t)))))
      (gimp-image-delete image)
      ok)))

(define (neural-style-batch in-dir pattern out-dir style alpha style-size)
  (if (not (file-exists? out-dir))
      (error (string-append "neural-style-batch: the output folder " out-dir " does not exist; nothing was restyled"))
      (let ((files (cadr (file-glob (string-append in-dir "/" pattern) 1))))
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
                     (ok (neural-style-batch--try in (lambda ()
                           (neural-style-batch--one in out style alpha style-size)))))
                (if ok (neural-style-batch--say (string-append in " -> " out)))
                (loop (cdr rest) (if ok (+ done 1) done) (+ total 1))))))))
