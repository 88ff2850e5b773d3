"""The frames of stage 3's reading: the words and patterns by which English states a setting.

See ``reprokit.gaps.statements`` for what a statement is; each pattern's name is the frame it reads (its
"pattern" field), and `benchmarks/ledger_recall.py --rules` prints the development papers each one is right in."""

from __future__ import annotations

import re

from reprokit import optimizers
from reprokit.text import NUMBER, WORD_NUMBER

NUM = NUMBER
# a list stops before a number that counts something else: "a width of 128 and 4 attention heads"
LIST = (rf"{NUM}(?:\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+|\s*/\s*)\s*{NUM}"
        rf"(?!\s+(?!(?:respectively|for|on|in|and|or|to|as|at|with|is|are|was|were)\b)[A-Za-z]))*")
# whole counts listed before what they count: "200K and 500K training iterations", "either 64, 96, 128, or 192
# channels", "datasets containing $10$, $20$, $30$, $50$, and $100$ samples" (tanh-init), "layers of 512, 256, and
# 128 units" (tanh-init); a count is whole, and after another setting's "of" its first value is that setting's
# ("a batch size of 64 and 100 epochs", "a dropout of 0.1 and 5 layers": ``_value_of`` keeps the last)
COUNT_LIST = rf"(?:{NUM}\s*,\s*)*{NUM}\s*,?\s+(?:and|or)\s+{NUM}(?=\s+[A-Za-z])"
SIZES = r"\$?\d+(?:\s*(?:\\times|×|x)\s*\d+)+(?![\d.])(?!\s*\^)\$?"  # layer or image sizes: 512x256x128, $640\times 640$
# (atomic: an all-caps name such as REALTOXICITYPROMPTS splits no other way, so no regex backtracks over it)
MODEL = (r"(?>[A-Z][A-Za-z]*(?:-?[A-Z0-9][\w.]*(?<!\.))*)(?:-\d+[A-Za-z]?)?"  # a name never ends in a dot
         # ... with its size or version in lower case: "ViT-small" (lbcs), "Hopper-v3" (rice), "TPU-v4" (muse),
         # "RoBERTa-large", "T5-base"
         r"(?:-(?:base|large|small|tiny|medium|xl|xxl|huge|giant|mini|uncased|cased|instruct|chat|v\d+(?:\.\d+)?)\b)*")
# words that end a noun phrase: a name is the words before its value up to one of these
STOP = (r"(?:the|a|an|and|or|with|of|for|to|in|on|at|by|we|using|use|used|uses|is|are|was|were|be|been|our|its|their|"
        r"this|that|these|those|each|all|both|from|as|than|then|also|which|while|where|when|after|before|during|per|"
        r"via|set|has|have|had|it|they|it's|such|some|any|only|same|other|not|no|into|over|under|between|across|shows?|"
        r"follow\w*|trained|trains|fix\w*|cho\w+|adopt\w*|employ\w*|apply\w*|applied|selected|tuned)")
MODIFIER = rf"(?:(?!{STOP}\b)[A-Za-z][\w'-]*\s+)"
VAGUE = r"(?:proposed|different|various|varying|standard|same)"  # words that say no technique's name
# how papers say a learning rate is cut, one vocabulary for the decay frame, the milestones' and the decay factor's
# round trip: "decayed", "divided", "multiplied", "reduced", "dropped", "decreased", "lowered" (not "dropout")
DECAY_VERB = r"\b(?:decay|divid|multipl|reduc|drop(?!out)|decreas|lower)\w*"
# ... and what stands between the verb and its factor: "dividing the learning rate by", "divided every 25 epochs by",
# "decay the learning rate at epoch 100 by"
DECAY_BY = (r"\s+(?:(?:the\s+)?(?:learning[- ]rates?|lr)\s+|it\s+)?"
            r"(?:(?:every|at|after)\s+(?:epochs?\s+|steps?\s+|iterations?\s+)?\S+\s+(?:(?:epochs|steps|iterations|updates)\s+)?)?"
            r"by\b")
# the head nouns of a hyperparameter's name ("initial learning rate", "kernel size", "EMA decay", "LR")
HEAD = (r"(?:rates?|lr|sizes?|decay|momentum|temperature|coefficients?|weights?|factors?|ratios?|dimensions?|dim|"
        r"width|depth|length|scales?|thresholds?|margin|rank|probabilit(?:y|ies)|stride|padding|dropout|epsilon|"
        r"eps|betas?|beta\d|gamma|lambda|alpha|tau|norm|budget|interval|frequency|horizon|capacity|smoothing|penalty|"
        r"strength|top-?[kp]|seeds?|clipping|deviation|std|rewards?|bonus|warm-?up(?: steps| epochs| ratio)?|"
        r"accumulation(?: steps)?)")
COUNT_UNITS = (r"epochs?|iterations?|steps|updates|times|runs|seeds|layers|blocks|heads|examples|samples|images|pairs|"
               r"points|values|inputs|features|tokens|classes|class|augmentations|tasks|rounds|trials|GPUs|neighbou?rs|"
               r"clusters|prompts|parameters|timesteps|trajectories|episodes|frames|transitions|units|neurons|channels|"
               r"filters|experts|queries|environments|agents|shots|demonstrations|nodes|raters|annotators")
# a hyperparameter's name: its head noun with up to three modifiers, or a count named as one ("the number of
# training epochs", as eomt, lbcs and test-time-model-adaptation name theirs)
KNOB_NAME = (rf"(?<![\w$\\-])(?:{MODIFIER}{{0,3}}{HEAD}\b"
             rf"|(?:{MODIFIER}){{0,2}}number of (?:{MODIFIER}){{0,2}}(?:{COUNT_UNITS})\b"
             # ... or the training's length by its unit ("whose training epochs are 100", a new user's distillation paper)
             rf"|(?:training|total)\s+(?:epochs|steps|iterations)\b)")
DISCUSSION = re.compile(r"\b((?-i:Figure|Fig\.|Table)(?:\s|~)*[A-Z]?\d+[A-Za-z]?\s+(?:shows?|presents?|reports?|summari[sz]es|"
                        r"compares?|illustrates?|demonstrates?)|outperform\w*|improve\w*|achiev\w*|compared to|"
                        r"results? (show|in)|"
                        r"result(?:ing|ed) in|performance (?:is|was|drops|increases)|"
                        r"in contrast|faster(?!\s+R-?CNN)|slower|beats?|performs? (?:best|better|well)|"
                        # "achieves the best PQ"; choosing the best of several runs is a protocol, no result
                        # ("we select the best agent out of 10 seeds", advantage-alignment; "choosing the best seed",
                        # sapg; "the best-validated models", tabdiff)
                        r"(?<!select )(?<!selects )(?<!selecting )(?<!choose )(?<!chooses )(?<!choosing )(?<!pick )"
                        r"(?<!keep )the best(?![- ]valid)|"
                        r"better|worse|leads? to|gets?|yields?|\$?p\$?-values?)\b", re.IGNORECASE)
OPTIMIZERS = optimizers.pattern()
SCHEDULES = (r"cosine|linear|step|multi-?step|exponential|polynomial|constant|inverse square root|one-?cycle|"
             r"piecewise(?: linear)?")
LOSSES = (r"cross[- ]entropy|binary cross[- ]entropy|mean[- ]squared(?: error)?|square[d]?(?: error)?|mean absolute error|"
          r"MSE|hinge|negative log[- ]likelihood|focal|dice|contrastive|triplet|KL(?:[- ]divergence)?|L1|L2|smooth L1|Huber")
ACTIVATIONS = r"leaky[- ]?relu|relu|gelu|tanh|sigmoid|swish|silu|selu|elu|softplus|mish"
AUGMENTATIONS = (r"random(?:ly)? (?:resized )?crop\w*|random(?:ly)? (?:horizontal )?flip\w*|horizontal flip\w*|"
                 r"(?:random )?colou?r jitter\w*|colou?r augmentation|(?:random )?colou?r distortions?|"
                 r"mixup|cutmix|cutout|randaugment|autoaugment|"
                 r"random eras\w*|random rotation\w*|(?:random )?elastic deformations?|(?:random |large-)?scale jitter\w*|"
                 r"gaussian blur|"
                 r"specaugment|speed perturbation|time masking|frequency masking|time warping")
# augmentation written without its transforms: "standard data augmentation", "the same data augmentation techniques"
UNNAMED_AUGMENTATION = (r"(?:(?:standard|common|usual|default|typical|simple|basic|strong|weak|light|heavy|same)\s+)?"
                        r"(?:data\s+|image\s+|input\s+)?augmentations?(?:\s+(?:techniques|strategies|pipeline|scheme|protocol))?")
SKIP_SECTION = re.compile(r"^(introduction|related|references|bibliography|acknowledg|conclusion|impact|limitation)",
                          re.IGNORECASE)
MATH_ASSIGN = re.compile(r"\$(?P<name>[^$=]{1,30}?)\s*=\s*(?P<value>[-−]?\d+(?:\.\d+)?"
                         r"(?:[eE][-−+]?\d+|\s*\^\s*\{\s*[-−]?\d+\s*\})?(?:\s*\\?%)?"  # "1e-08", "10^{-4}"
                         r"(?:\s*,\s*[-−]?\d+(?:\.\d+)?(?:\s*\\?%)?)*(?:\s*\\times[^$]*)?)\s*\$")
# (a name may start with a digit when it has letters: "20NEWS", "3DShapes"; "for 500K iterations" is no name)
SCOPE = re.compile(r"\b(?i:for|on)\s+(?:the\s+)?(?P<scope>(?:(?:[A-Z]|[a-z]{1,2}(?=[A-Z])|(?!\d+(?:\.\d+)?[KMB]\b)\d+[A-Z])"
                   r"[\w-]*"
                   r"(?:\s*[-/]\s*[\w-]+)*(?:\s+[A-Z0-9][\w-]*)*)"
                   r"(?:\s*(?:,|and|/)\s*(?:(?i:for)\s+(?:the\s+)?)?[A-Z][\w-]*(?:\s*[-/]\s*[\w-]+)*(?:\s+[A-Z0-9][\w-]*)*)*)")
# a citation as converters leave it in the text: "[12]", "[3, 4]", "(Smith et al., 2020)", a missing bib key
CITATION = re.compile(r"\s*\[\d+(?:\s*[,–-]\s*\d+)*\]|\s*\((?:[A-Z][^()]{0,60}?,?\s*(?:19|20)\d\d[a-z]?;?\s*)+\)"
                      # unresolved keys, with their brackets ("AdamW [loshchilov2019decoupled]"), or what is left of them
                      r"|\s*\[\s*[a-z][\w:.-]*(?:19|20)\d\d[\w:.-]*(?:\s*[,;]\s*[\w:.-]+)*\s*\]|\s*\[[\s,;]*\]"
                      r"|\s*\b[a-z][a-z-]*(?:19|20)\d\d[a-z0-9]*(?:-[a-z0-9]+)*\b"  # (whole: "wolf-etal-2020-transformers")
                      # a textual citation: "the AdamW Loshchilov and Hutter (2017) optimizer", "Smith et al. (2019b)"
                      r"|\s*\b[A-Z][\w'-]+(?:\s+et\s+al\.?|\s+(?:and|&)\s+[A-Z][\w'-]+)\s*\((?:19|20)\d\d[a-z]?\)")


def _p(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# "zero" in words, as "set to" states it ("The weight decay is set to zero"), not a part's ("set to zero for bias and
# normalization parameters": the rest keep the value the sentence states beside it)
ZERO = r"zero\b(?!\s+(?:for|on)\s+(?:the\s+)?(?!all\b|every\b|each\b|training\b)[a-z])"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "X, Y and Z are set to A, B and C": one statement each
    ("set to", _p(rf"(?P<name>(?:\$[^$]{{1,30}}\$|[\w-]+(?: [\w-]+){{0,4}})(?:\s*,\s*(?:and\s+)?(?:\$[^$]{{1,30}}\$|"
                  rf"[\w-]+(?: [\w-]+){{0,4}}))+)"
                  rf"\s+(?:are|were)\s+(?:all\s+)?(?:set|fixed|chosen)\s+(?:to|as|at)\s+(?P<value>{LIST}|{ZERO})")),
    # "X is set to V", "X are all fixed at V", "X is chosen as V", "X is initialised to V"
    ("set to", _p(rf"(?P<name>[^,.;:]{{2,80}}?)\s+(?:is|are|was|were)\s+(?:all\s+|always\s+|then\s+)?(?:set|fixed|"
                  rf"chosen|initiali[sz]ed|kept|selected)\s+(?:to|as|at)\s+(?:be\s+)?(?P<value>{LIST}|{ZERO}|(?-i:{MODEL}))")),
    # a value a setting starts from: "$P_{mask}$, which starts at 1.0 and decays block by block to 0.0" (eomt), "learning
    # rate starts at 1 and decay rate is set to 0.1" (a new user's recommendation paper): the issue's "from A to B"
    # said with its start first
    ("starts at", _p(rf"(?P<name>{KNOB_NAME}|\$[^$]{{1,30}}\$)\s*,?\s*(?:which\s+)?(?:starts?|started|starting|begins?)\s+"
                     rf"(?:at|from|with)\s+(?P<value>{NUM})(?![\w.])")),
    # ... and its participle: "with the batch size set to $16$" (a new user's forecasting paper)
    ("set to", _p(rf"\bwith\s+(?:the\s+|a\s+|an\s+)?(?P<name>[a-z][\w-]*(?: [a-z][\w-]*){{0,3}}?)\s+(?:set|fixed)\s+"
                  rf"(?:to|at|as)\s+(?P<value>{LIST})")),
    # "we set X to V", "setting X to V", "we use X of V"
    ("we set", _p(rf"\b(?:we\s+(?:set|fix|choose|use|adopt|select)|(?:we\s+then\s+)?(?:set(?:ting)?))\s+(?:the\s+)?"
                  rf"(?P<name>[^,.;]{{2,90}}?)\s+(?:to|as|of|=)\s+(?:be\s+)?(?P<value>{LIST}|{ZERO})")),
    # "X of V", "X = V", "X: V", "X (V)", "X V" for a hyperparameter's noun phrase
    # (what it is for may stand between, as "the batch sizes for CIFAR-10 and for ImageNet are 128 and 4096")
    ("knob of", _p(rf"(?P<name>{KNOB_NAME})\s*(?:,?\s*\$[^$]{{1,20}}\$\s*,?\s*)?(?:(?:\([^)]{{0,60}}\)\s*)?"
                   rf"(?:(?:of|is|was|:|equal to|at)\s+|(?:\s+for\s+(?:the\s+)?(?-i:[A-Z])[\w.-]*(?:\s*(?:,|and)\s*"
                   rf"(?:for\s+)?(?:the\s+)?(?-i:[A-Z])[\w.-]*)*\s+)?(?:are|were)\s+|=\s*)\(?\s*|\(\s*|(?=[\d$.]))"
                   rf"(?P<value>{SIZES}|[-+−]?{LIST})(?![\w-])")),
    # "a 640x640 input size", "a 0.1 dropout": the value before its name
    # (... and the next item of its list, the article shared: "with a $0.002$ learning rate, $10^{-6}$ weight decay")
    ("value first", _p(rf"(?:\b(?:an?|the)\s+|,\s*(?:and\s+)?)(?P<value>{SIZES}|{NUM})\s+(?P<name>{MODIFIER}{{0,2}}{HEAD})\b")),
    # "a 3x3 grid world", "256 x 256 pixel images", "16x16 tokens": a size written before what it sizes
    ("size of", _p(rf"(?<![\w.$])(?P<value>{SIZES})\s+(?P<name>(?:{MODIFIER}){{0,2}}(?!{STOP}\b)[a-z][\w-]*)")),
    # "V X": "10 epochs", "100,000 optimization steps", "4 attention heads", "two hidden layers"; both ends of a
    # range or an alternation: "layers alternated between 16 and 4 nodes" (tanh-init; eomt's "between 0.1x and 2.0x")
    ("count", _p(rf"(?<![\w.$×/+*-])(?<!\\times )(?<!× )(?<!\bx )(?P<value>(?<=between ){NUM}\s+and\s+{NUM}|{COUNT_LIST}|{LIST}|"
                 rf"{WORD_NUMBER})\s+"
                 rf"(?P<name>{MODIFIER}{{0,2}}(?:{COUNT_UNITS}))\b")),
    # ... and a count of any plural noun after a word that introduces a quantity used ("with 6 copies of the
    # environment" (advantage-alignment), "with 32 bits" (test-time-model-adaptation), "with 8 joints" (rice))
    ("count", _p(rf"\b(?:with|using|uses|use|used|by|of|across|among|between|containing|contains)\s+"
                 rf"(?P<value>\d+(?:,\d{{3}})*)\s+"
                 rf"(?!(?:hundred|thousand|million|billion|trillion)\b)"  # "of 312 million images": the number goes on
                 # (the plural noun, not the verb after it: "sampling a batch of 256 images takes 17 seconds")
                 rf"(?P<name>{MODIFIER}{{0,2}}(?!{STOP}\b)(?!(?:takes|makes|needs|requires|gives|shows|yields|becomes|"
                 rf"remains|seems|leads|means|does|goes)\b)[a-z]{{3,}}(?<!s)s)\b(?!\s+(?:{COUNT_UNITS})\b)")),
    ("sized", _p(rf"(?<![\w.])(?P<value>{NUM}|{WORD_NUMBER})-(?P<name>layer|block|head|stage)s?\b")),
    # a warm-up's length written before it: "a $1.5\times 10^{4}$-step warmup"
    ("sized", _p(rf"(?<![\w.])(?P<value>{NUM})-(?P<name>step|iteration|epoch)s?\s+(?:linear\s+|learning[- ]rate\s+)?"
                 rf"(?=warm-?up)")),
    # a width written before what it is the width of: "a sequence of 4096 dimensional language embedding vectors"
    # (muse), "mapping to a 64-dimensional latent space" (tanh-init); a "1-dimensional" curve is a shape, no size
    ("dimensional", _p(rf"(?<![\w.$-])(?P<value>(?!\$?1\b){NUM})[- ]dim(?:ensional)?\s+"
                       rf"(?P<name>(?:(?!{STOP}\b)[a-z][\w-]*\s+){{0,2}}(?!{STOP}\b)[a-z][\w-]*)")),
    # "4000 for training and 1000 for testing"
    # (a number ending a name is none: "ImageNet-1K for evaluation", a new user's ConvNeXt paper)
    # (not a symbol's value, "peaks at $r=16$ for validation loss" (a new user's LoRA paper), nor a metric's split)
    ("split", _p(rf"(?<![\w.-])(?P<value>{NUM})\s+(?:of them\s+|(?:examples|samples|images|pairs|points)\s+)?for\s+"
                 rf"(?P<name>training|testing|test|validation|evaluation)\b(?!\s+(?:loss|accuracy|error|perplexity|score))")),
    # sweeps: "X varies in V", "X is chosen from {V}", "we vary X in {V}", "X from A to B"
    ("varies in", _p(rf"(?P<name>[^,.;]{{2,60}}?)\s+(?:varies|vary|ranges?)\s+(?:in|from|over|among)\s+"
                     rf"\{{?(?P<value>{LIST}(?:\s+to\s+{NUM})?)\}}?")),
    ("chosen from", _p(rf"(?P<name>[^,.;]{{2,60}}?)\s+(?:is\s+|are\s+)?(?:chosen|selected|searched|tuned)\s+"
                       rf"(?:from|in|over|among)\s+\$?\\?\{{(?P<value>{LIST})\\?\}}")),
    ("we vary", _p(rf"\b(?:vary|varied|varying|sweep|swept|tune|tuned|search|searched)\s+(?:the\s+)?"
                   rf"(?P<name>[^,.;{{}}]{{1,40}}?)(?:\s+by\s+[^,.;{{}}]{{0,40}}?)?\s+(?:from|in|over|among|within|"
                   rf"across)\s+(?:(?:a|the)\s+(?:small\s+|following\s+)?(?:set|range|grid)\s+(?:of\s+)?)?"
                   rf"\$?\s*\\?\{{\s*(?P<value>{LIST})\s*\\?\}}")),
    # a learning-rate schedule's shape in numbers: "divided by 10 at epochs 30, 60 and 80", "decayed to 1e-5"
    # (the learning rate may stand between: "dividing the learning rate by 10", "drop the learning rate by a factor of 10")
    ("decay by", _p(rf"(?P<name>{DECAY_VERB}){DECAY_BY}\s+(?:a\s+factor\s+of\s+)?(?:(?P<value>{NUM})|(?P<value2>half)\b)")),
    # (a "weight decay to 0.01" is a setting of its own, never a learning rate's end)
    ("decay to", _p(rf"(?:(?<!weight )(?<!weight-)decay(?:ed|s|ing)?|anneal(?:ed|s)?|reduced|drops?)\s+(?:linearly\s+|"
                    rf"gradually\s+)?to\s+"
                    rf"(?P<value>{NUM})")),
    # (one alone, "at epoch 150", only right after the decay: statements.py)
    ("milestones", _p(rf"\b(?:at|after)\s+(?P<name>epochs?|steps?|iterations?)\s+(?P<value>{NUM}(?:\s*(?:,\s*(?:and\s+)?|"
                      rf"\s+and\s+)(?:again\s+)?(?:at\s+)?(?:(?P=name)\s+)?{NUM})*)")),  # ("at epoch 100 and epoch 150")
    # warm-up and decay as a share of training: "warm-up over the first 5% of the steps", "(reached at 10% of ...)"
    ("warm-up share", _p(rf"warm-?up[^.;]{{0,80}}?(?P<value>{NUM}\s*\\?%)\s+of\s+(?:the\s+)?(?:total\s+|training\s+)*"
                         rf"(?:steps|iterations|updates|training|epochs)")),
    ("clipped at", _p(rf"(?:clip(?:ped|ping)?\s+(?:the\s+)?gradients?(?:\s+norms?)?|"
                      rf"gradients?(?:\s+norms?)?\s+(?:(?:are|is|were|was)\s+)?clipped|"
                      rf"gradient\s+(?:norm\s+)?clipping)\s+(?:at|to|of|with)\s+(?:an?\s+)?(?:(?:max(?:imum)?|global)\s+)?"
                      rf"(?:(?:norm|value|threshold)\s+)?(?:of\s+)?(?P<value>{NUM})")),
    # non-numeric settings
    # ("the Adam SGD optimizer", a new user's GAT paper: Adam, a kind of SGD)
    ("optimizer", re.compile(rf"(?:an?\s+|the\s+)?(?P<value>{OPTIMIZERS})(?:\s+SGD)?\s+(?:\(|\[)?"
                             rf"(?P<name>optimi[sz]er|as (?:the|our) (?:update rule|optimi[sz]er))"
                             rf"|(?P<name2>optimi[sz]ed|trained|updated|optimi[sz]e|train)\s+(?:(?!(?:and|or|but|is|are|was|were|than|compared)\b)[\w.$-]+\s+){{0,6}}?(?:by|with|using)"
                             rf"\s+(?:the\s+|an?\s+)?(?P<value2>{OPTIMIZERS})\b|(?:\bthe\s+|^)(?P<value3>{OPTIMIZERS})\s+optimi[sz]ation\b"
                             rf"|\b(?i:we)\s+(?i:use[sd]?|employ(?:s|ed)?|adopt(?:s|ed)?|utili[sz](?:e|es|ed)|cho(?:ose|oses|se))\s+"
                             rf"(?:the\s+|an?\s+)?(?P<value4>{OPTIMIZERS})"
                             rf"(?=\s+(?:with|without|for|to|and|algorithm)\b|\s*[,.;(])")),  # ("the NT-ASGD algorithm")
    ("nesterov", re.compile(r"\b(?P<value>Nesterov)\b")),
    # (what it schedules may stand between: "the linear noise schedule", "a cosine masking schedule")
    ("schedule", _p(rf"(?<![\w-])(?P<value>{SCHEDULES})\s+(?:(?:learning[- ]rate\s+|lr\s+)?(?P<name>rate scheduler|"
                    rf"(?:lr |learning rate )?schedul(?:er|ing|e)|decay|annealing)|"
                    rf"(?P<what>(?!(?:learning|lr|rate|weight)\b)[a-z]+)\s+(?P<name2>schedul(?:er|ing|e)))")),
    # (a penalty is no loss: "optimize the KL-penalized objective", "an L2-regularized objective", a new user's RL paper)
    ("loss", _p(rf"(?P<value>{LOSSES})\s+(?:\([A-Z]+\)\s+)?(?P<name>loss|objective|criterion)|\b(?:minimi[sz]\w*|"
                rf"optimi[sz]\w*|trained with|train with|"
                # ("Our loss function computes the mean squared error (MSE) between ...", a new user's MAE paper)
                # (the run's loss, not an auxiliary's, a value head's or an evaluation's; "is L2-normalized" names none)
                rf"\b(?:our|the)\s+(?:training\s+)?loss(?:\s+function)?\s+(?:computes|is|measures))\s+(?:the\s+|a\s+)?"
                rf"(?P<value2>{LOSSES})\b(?!-)"
                rf"(?<!\bsquare)(?<!\bsquared)(?![- ](?:divergence[- ])?(?:penali[sz]ed|regulari[sz]ed|constrained)\b)"
                rf"(?!\s+(?:regulari[sz]ation|penalty|weight\s+decay)\b)")),  # ("train with L2 regularization": no loss)
    ("augmentation", _p(rf"(?P<value>(?:{AUGMENTATIONS})(?:(?:\s*,\s*(?:and\s+)?|\s+and\s+)(?:{AUGMENTATIONS}))*)")),
    ("no augmentation", _p(r"\b(?:no|without|not use|do not use|did not use)\b[^.]{0,30}(?P<name>augment\w*)")),
    # augmentation the run uses without naming its transforms: "with standard data augmentation" (a new user's optimizer
    # paper), "we apply the same data augmentation techniques as used by Mask2Former" (eomt, which names them after)
    ("augmentation unnamed", _p(rf"\b(?:with|using|uses?|used|appl(?:y|ies|ied)|employ(?:s|ed)?|adopt(?:s|ed)?|"
                                rf"follow(?:s|ed)?)\s+(?:the\s+|an?\s+)?(?P<value>{UNNAMED_AUGMENTATION})\b"
                                rf"|(?P<value2>{UNNAMED_AUGMENTATION})\s+(?:is|are|was|were)\s+(?:used|applied|employed|adopted)\b")),
    # a regulariser or schedule part the paper says it does without: "We do not use weight decay" (a new user's
    # adversarial-training paper; AdamW's framework default is 0.01, not none)
    ("not used", _p(r"\b(?:(?:do|does|did)\s+not|don't|didn't|never)\s+(?:use|apply|employ)\s+(?:any\s+)?"
                    r"(?:learning[- ]rate\s+|lr\s+)?"  # "we do not use learning rate warm-up" (a new user's BERT paper)
                    r"(?P<name>weight decay|dropout|gradient clipping|warm-?up|label smoothing|learning[- ]rate decay)\b"
                    r"|\bwithout\s+(?:any\s+)?(?:learning[- ]rate\s+|lr\s+)?"
                    r"(?P<name2>weight decay|dropout|gradient clipping|warm-?up|label smoothing|learning[- ]rate decay)"
                    r"\b(?=\s*(?:[,.;]|and\b|or\b))")),
    ("shuffle", _p(r"(?P<value>shuffl\w*)\b")),
    ("model", re.compile(rf"\b(?i:we)\s+(?i:employ(?:ed)?|used?|utili[sz]ed?|adopt(?:ed)?|experiment(?:ed)? with)\s+"
                         rf"(?:an?\s+|the\s+)?"
                         rf"(?P<value>{MODEL})(?:\$[^$]{{0,30}}\$)?(?:\s*\([^)]{{0,60}}\))?"
                         # ("we adopt CMA as it is one of the most successful ...": "as" is "because" there)
                         rf"(?:\s+(?P<name>for|as)\b(?!\s+(?:it|they|this|these|we|its|their)\b)|(?=\s*[,.;])|"
                         rf"(?=\s+(?:followed by|and an?|with)\b))"
                         # the same in the passive voice: "SGD is used as the optimizer"
                         rf"|(?<![\w-])(?P<value2>{MODEL})\s+(?:is|are|was|were)\s+(?:used|employed|adopted|utili[sz]ed)\s+"
                         rf"(?P<name2>as)\b"
                         # the kind of network after the name: "we train a GTrXL transformer", "we use an MLP layer"
                         rf"|\b(?i:we)\s+(?i:train(?:ed)?|used?|employ(?:ed)?|adopt(?:ed)?|utili[sz]ed?)\s+(?:an?\s+|the\s+)?"
                         rf"(?P<value3>{MODEL})\s+"
                         rf"(?P<name3>network|model|transformer|policy|layer|encoder|decoder|backbone|classifier)s?\b")),
    ("arch is", re.compile(rf"(?P<name>[^,.;]{{2,60}}?(?:network|backbone|architecture|encoder|decoder|model)s?"
                           rf"[^,.;]{{0,100}}?)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?"
                           rf"(?P<value>(?:(?!(?:\w+ed|in|on|with|to|of|at|by|for|as|from|given|shown|available)\b)[a-z][\w-]+\s+){{0,2}}"
                           rf"(?!(?:Appendix|Section|Table|Figure|Eq)\b){MODEL})\b")),
    ("percent of", _p(rf"(?P<value>{NUM}\s*\\?%)\s+(?P<name>(?:[a-z-]+\s+){{0,2}}(?:noise|dropout|masking|"
                      rf"sparsity|pruning|corruption)|of\s+(?:the\s+)?(?:{MODIFIER}){{0,2}}(?!{STOP}\b)[a-z][\w-]*)")),
    # (a subscript may be a digit: "$\\beta_2$=0.98")
    ("symbol assign", re.compile(rf"\$(?P<name>\\?[A-Za-z][A-Za-z0-9_{{}}\\]{{0,15}})\$\s*=\s*(?P<value>{NUM})")),
    ("precision", _p(r"(?P<value>\b(?:fp16|bf16|fp32|float16|bfloat16|mixed[- ]precision|half[- ]precision)\b)"
                    r"(?!\s+(?:is|are|was|were)\s+not\b)")),
    ("hardware", re.compile(r"(?P<value>\b(?:NVIDIA\s+)?(?:A100|V100|H100|H200|A40|P100|T4|(?:RTX\s?)?A\d{4}|"
                            r"(?:RTX|GTX)\s?\d{4}\w*|TITAN\s?\w+|TPU[\s-]?v\d\w*|L40S?|L4))\b", re.IGNORECASE)),
    # the compute a run takes: "experiments run in 50 minutes on a nvidia A100 gpu", "take about 48-60 hours"
    ("compute time", _p(rf"\b(?:run|runs|ran|take|takes|took|last|lasts|lasted|finish\w*|complete\w*)\s+(?:in\s+|for\s+)?"
                        rf"(?:about\s+|around\s+|approximately\s+|roughly\s+|under\s+|less than\s+)?"
                        rf"(?P<value>{NUM}(?:\s*[-–]\s*{NUM})?)\s*(?P<name>(?:GPU[- ])?(?:hours?|minutes?|days?))\b")),
    # the datasets or benchmarks: "we conduct experiments on the MNIST, CIFAR-10 and CIFAR-100 datasets",
    # "we use widely adopted benchmarks for segmentation: COCO and ADE20K", "seven tabular datasets - Adult, ..."
    ("datasets", re.compile(rf"(?i:experiments?|evaluat\w*|benchmarks?|datasets?|train\w*)\b[^.;:]{{0,60}}?(?:\bon|:|–|—|-)\s+"
                            rf"(?:the\s+)?(?P<value>{MODEL}(?:\s+{MODEL})?(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:the\s+)?"
                            rf"{MODEL}(?:\s+{MODEL})?)+)")),
    # one dataset by name: "we train on the Imagen dataset", "trained for 20 epochs on the CIFAR-10 dataset"
    ("dataset", re.compile(rf"\b(?i:train\w*|evaluat\w*|fine-?tun\w*|pre-?train\w*|experiments?|use[sd]?|adopt\w*|"
                           rf"employ\w*)\b[^.;]{{0,40}}?\b(?i:on|of)\s+"
                           rf"the\s+(?P<value>{MODEL}(?:\s+{MODEL})?)(?:\s+\$[^$]{{1,30}}\$|\s+[\w-]+){{0,2}}?\s+"
                           rf"(?i:dataset|benchmark|corpus)\b")),
    # a dataset's split: "the validation set of ImageNet-1K", "the test split of the P3 dataset"
    ("split of", re.compile(rf"(?:the\s+)?(?P<name>validation|training|test|dev)\s+(?:set|split)\s+of\s+(?:the\s+)?"
                            rf"(?P<value>{MODEL}(?:\s+(?:of\s+)?[A-Z][\w-]*)*)")),
    # a technique named by its kind: "we use a two-stage linear learning rate warm-up", "we apply windowed
    # inference", "initialize prompts with uniform initialization", "by using bicubic interpolation"
    ("technique", _p(rf"\b(?:(?:we\s+)?(?:use[sd]?|appl(?:y|ies|ied)|adopt(?:s|ed)?|employ(?:s|ed)?|perform(?:s|ed)?)"
                     rf"|(?:by\s+)?using)\s+(?:an?\s+|the\s+)?"
                     rf"(?P<value>(?!(?:learning|lr)\b)(?:(?!(?:{STOP}|{VAGUE})\b)[a-z][\w-]*\s+){{1,3}}?)"
                     rf"(?:learning[- ]rate\s+|lr\s+)?"
                     rf"(?P<name>inference|warm-?up|initiali[sz]ation|interpolation|training|estimation|normali[sz]ation|"
                     rf"pooling|sampling|sampler|tokeni[sz]er)\b")),
    # the library the implementation is built on: "we implement our method ... based on Stable-Baselines3",
    # "we use the implementation of Huggingface Transformers", "our code builds on top of detectron2"
    ("library", re.compile(rf"\b(?i:implement\w*|built|build|builds|developed|code)\b[^.;]{{0,80}}?\b(?i:based on|on top of)\s+"
                           rf"(?:the\s+)?(?P<value>{MODEL}(?:\s+{MODEL})?)"
                           rf"|\b(?i:use|adopt|follow|following)\s+the\s+(?:official\s+)?implementations?\s+(?:of|from|in)\s+(?:the\s+)?"
                           rf"(?P<value2>{MODEL}(?:-[a-z]+)*(?:\s+{MODEL})?)(?![\w-])")),  # ("DI-drive", whole)
    # a setting the paper takes from another work, by name: "We follow the evaluation protocol of LOQA" and "we follow
    # the architecture used in POLA" (advantage-alignment), "We follow the approach of ViTDet", "we follow the same design
    # as M2F" (eomt); what is followed is a setting the reproduction must look up, not a number (a work cited only by its
    # reference leaves no name: the citation is taken out of the sentence first)
    ("follows", re.compile(rf"(?:\b(?i:we)\s+(?:[a-z]+ly\s+)?(?i:follow(?:ed)?)|(?:^|[,;]\s*|\bby\s+)(?i:following))\s+"
                           rf"(?i:the\s+)?(?i:exact\s+)?"
                           rf"(?i:same\s+)?(?P<name>(?:[a-z-]+\s+){{0,2}}?(?:protocol|architecture|set-?up|settings?|splits?|"
                           rf"design|approach|procedure|pipeline|recipe|pre-?processing|augmentations?|hyper-?parameters?|"
                           rf"configuration|schedule|strategy))\s+(?:(?:used|proposed|described|adopted)\s+)?"
                           rf"(?:of|in|as|from|by)\s+(?:the\s+)?"
                           rf"(?!(?:Table|Tables|Figure|Fig|Section|Sec|Appendix|Eq|Equation|Algorithm)\b)"
                           rf"(?P<value>{MODEL}(?:-[a-z]+)*(?:/\d+)?(?:\s+{MODEL}(?:/\d+)?)*"
                           rf"(?:\s+(?:contest|challenge|competition|benchmark|codebase|paper))?)"
                           rf"(?![\w/-])(?!\s+et\s+al)"  # (a work cited by its authors names no method: "Zhang et al.")
                           # "the same X as Y" after a verb of using or training: "we adopt the same loss function as
                           # Mask2Former", "we apply the same data augmentation techniques as used by Mask2Former"
                           # (eomt), "a model trained on the same dataset as Imagen" (muse)
                           rf"|\b(?:(?i:we)\s+(?:[a-z]+ly\s+|also\s+)?(?:use[sd]?|appl(?:y|ies|ied)|adopt(?:s|ed)?|"
                           rf"employ(?:s|ed)?)|(?:pre-?)?trained\s+on)"
                           rf"\s+the\s+(?:exact\s+)?same\s+(?P<name2>(?:[a-z-]+\s+){{0,3}}?[a-z-]+)\s+as\s+"
                           rf"(?:(?:used|proposed|described|adopted)\s+(?:by|in)\s+)?(?:the\s+)?"
                           rf"(?!(?:Table|Tables|Figure|Fig|Section|Sec|Appendix|Eq|Equation|Algorithm|Stage|Step|Phase|"
                           rf"Experiment|Setting|Setup)\b)"
                           rf"(?P<value2>{MODEL}(?:-[a-z]+)*(?:/\d+)?(?:\s+(?:{MODEL}|\d+)(?:/\d+)?)*)(?![\w/-])(?!\s+et\s+al)")),
    ("framework", re.compile(r"\b(?P<value>PyTorch|TensorFlow|JAX|Flax|Keras|MXNet|PaddlePaddle|Caffe2?|Theano|Chainer)\b")),
    # which checkpoint is kept: "we select the checkpoint with the lowest training loss" (tabdiff), "we select the
    # checkpoint that corresponds to the best achieved return" (advantage-alignment)
    ("model selection", _p(r"\b(?:select|choose|pick|keep|use|report)(?:s|ed)?\s+the\s+checkpoint\s+(?:with|of|"
                           r"that\s+\w+(?:\s+to)?|which\s+\w+(?:\s+to)?)\s+the\s+(?P<value>(?:lowest|highest|best|smallest|"
                           r"largest|minimum|maximum|min|max)\s+(?:[\w-]+\s+){0,2}?[\w-]+)(?=\s*(?:[,.;]|\b(?:for|during|on|in)\b|$))")),
    # the activation function, named before what it is: "ReLU activation" (lbcs), "ELU activation" (sapg), "an MLP
    # with relu non-linearities" and "a $\tanh$ activation" (advantage-alignment), "tanh FFNNs" (tanh-init)
    ("activation", _p(rf"(?<![\w-])\$?\\?(?P<value>{ACTIVATIONS})\$?\s+(?P<name>activations?|non-?linearit(?:y|ies)|"
                      rf"(?:activation\s+)?functions?|FFNNs?|MLPs?|networks?|units)\b")),
]
FIXED_NAMES = {"optimizer": "optimizer", "repeated": "repetitions", "gpu count": "number of GPUs",
               "precision": "numeric precision", "hardware": "GPU",
               "loss": "loss", "augmentation": "augmentation",
               "no augmentation": "augmentation", "augmentation unnamed": "augmentation", "shuffle": "data order",
               "nesterov": "nesterov momentum",
               "decay by": "lr decay factor", "decay to": "final learning rate", "warm-up share": "warm-up share",
               "clipped at": "gradient clipping", "framework": "framework", "datasets": "datasets",
               "compute time": "compute time", "library": "library",
               "dataset": "dataset", "activation": "activation", "model selection": "model selection"}
# a quantity moved from one value to another over training, the issue's "from A to B": "the learning rate is increased
# linearly from $0$ to $10^{-4}$ over the first 5000 steps", "we ... linear decay $\lambda_{num}$ from $1.0$ to $0.0$ as
# training proceeds" (tabdiff), "this tolerance is decreased in a curriculum from 7.5 cm to 1 cm" (sapg)
RAMP = _p(rf"(?:(?P<name>(?:the\s+|this\s+|our\s+)?(?:\$[^$]{{1,30}}\$|[a-z][\w-]*)(?:\s+[a-z][\w-]*){{0,3}}?)\s+"
          rf"(?:is|are|was|were)\s+)?"
          rf"(?:linearly\s+|gradually\s+)?(?<![\w-])(?P<verb>increas|rais|ramp|warm|decreas|decay|reduc|anneal|lower)\w*"
          rf"(?:\s+up)?(?:\s+(?:linearly|gradually|in\s+a\s+curriculum))?\s+"
          rf"(?P<name2>\$[^$]{{1,30}}\$\s+|(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*){{0,2}}?\s+)?from\s+(?P<start>{NUM})(?:\s*(?:\\mathrm\s*\{{[^}}]{{1,12}}\}}|[a-z]{{1,3}}\b)\s*\$?)?\s*"
          rf"(?:up\s+)?to\s+(?P<value>{NUM}|zero\b)(?:\s+(?:up\s+)?(?:over|during|in|for)\s+the\s+first\s+(?P<span>{NUM})\s+"
          rf"(?:training\s+)?(?P<unit>steps|iterations|updates|epochs)\b)?")
# how the run's batch and learning rate are given where no value is: trained on the whole training set at once ("All
# experiments on PINNs use full-batch training", tanh-init; "we perform batch gradient descent using the full dataset
# for every training iteration", a new user's graph paper); a rate given by a formula ("according to the formula:
# lrate = ...", a new user's Transformer paper); the linear scaling rule ("$lr=base\_lr\times batchsize/256$", a new
# user's MAE paper; "LearningRate = 0.3 x BatchSize/256"): the run's rate is a base rate times the batch over a
# reference batch. Read as statements, which the ledger maps to its knobs.
FULL_BATCH = re.compile(r"\b(?:use[sd]?|using|with|via|perform(?:s|ed)?|adopt(?:s|ed)?|employ(?:s|ed)?|appl(?:y|ies|ied))\s+"
                        r"(?:a\s+|the\s+)?full[- ]batch\b|\bfull[- ]batch\s+(?:training|gradient\s+descent|optimi[sz]ation|"
                        r"updates?)\s+(?:is|was|are|were)\s+(?:used|applied|performed|adopted)\b|"
                        r"\bbatch gradient descent using the (?:full|whole|entire) (?:data ?set|graph)", re.IGNORECASE)
LR_FORMULA = re.compile(r"(?:learning[- ]rate|\blr\b)(?:(?!\b(?:loss|gradients?|and|while|whereas|but)\b)[^.;\d]){0,80}?"
                        r"\b(?:according to|following|given by|defined by|computed by|"
                        r"set by|as)\s+(?:the\s+|this\s+)?(?:formula|equation|eq\.?|expression)", re.IGNORECASE)
LR_SCALING = re.compile(r"\b(?:lr|learning[ _]?rate)\s*=\s*(?P<base>base[\\ _]*(?:lr|learning[ _]?rate)|blr|"
                        r"\d+(?:\.\d+)?(?:e-?\d+)?)\s*(?:\\times|×|\*|·|\\cdot|x)\s*(?:batch[\\ _]*size|batchsize|bs)\s*/\s*"
                        r"(?P<n>[1-9]\d*)\b", re.IGNORECASE)
NOT_OURS = re.compile(r"\b(?:(?:do|does|did)\s+not|don't|didn't|never|instead\s+of|rather\s+than|unlike)\b", re.IGNORECASE)
ONE_PER_SENTENCE = ("precision", "hardware", "augmentation", "augmentation unnamed", "shuffle", "loss", "optimizer", "nesterov",
                    "framework", "datasets", "library")
