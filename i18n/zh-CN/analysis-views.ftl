# 分析视图：棋盘效应分析（ops/checkerboard.rs）、ASPP（ops/aspp.rs）与移位拼接（ops/shift_and_stitch.rs）。

## checkerboard

checkerboard-title = 棋盘效应分析（哪种上采样是均匀的？）
checkerboard-summary = 对五种上采样方式，统计每个输出单元格被多少个卷积核抽头覆盖：覆盖数不均匀，就是转置卷积的棋盘效应。
checkerboard-view = 视图
checkerboard-view-overlap = 重叠：覆盖每个单元格的抽头数
checkerboard-view-image = 图像：对一幅图上采样
checkerboard-view-help = 权重全为 1 时的重叠计数，或用每种方法对内置图像上采样。
checkerboard-kernel-size = 卷积核大小
checkerboard-kernel-size-help = 每种方法的卷积核大小 k。
checkerboard-stride = 步长
checkerboard-stride-help = 每种方法的上采样倍数 s。
checkerboard-dilation = 膨胀率
checkerboard-dilation-help = 转置卷积抽头之间的间距（d）。
checkerboard-layers = 层数
checkerboard-layers-help = 堆叠多少层上采样；伪影会逐层累积。
checkerboard-size = 输入大小
checkerboard-size-help = 输入的行数和列数。
checkerboard-method-transposed = 转置卷积
checkerboard-method-resize-nearest = 缩放卷积（最近邻）
checkerboard-method-resize-bilinear = 缩放卷积（双线性）
checkerboard-method-pixel-shuffle = 卷积 + 像素重排
checkerboard-method-bilinear-additive = 双线性加性上采样
checkerboard-too-large = { $layers } 层会得到约 { $side }×{ $side } 的特征图；请减少层数或缩小输入
checkerboard-caption-picture = 输入图像 { $sym }
checkerboard-caption-ones = 输入 { $sym }：全为 1
checkerboard-caption-map = { $sym } = { $method }
checkerboard-fact-overlap = { $method }：每个单元格的抽头数{ $taps }（{ $verdict }）
checkerboard-fact-picture = { $method }：每个单元格的抽头数{ $taps }（{ $verdict }）；图像的取值{ $values }
checkerboard-range-interior = 在内部为 { $values }
checkerboard-range-whole = 在整幅图上为 { $values }
checkerboard-even = 均匀
checkerboard-uneven = 不均匀
checkerboard-all-border = 此尺寸下全是边界：请增大输入再判断
checkerboard-chart-title-overlap = 每幅图的中间一行（相对于其均值）
checkerboard-chart-title-picture = 每幅图的中间一行
checkerboard-chart-x = 输出列
checkerboard-chart-y-overlap = 抽头数 ÷ 均值
checkerboard-chart-y-picture = 值
checkerboard-formula-residues = 转置卷积，单个轴：位置 ≡ 0…{ $last }（mod s）的输出分别得到 { $taps } 个抽头 → { $verdict }
checkerboard-formula-uneven = 不均匀（二维时一个单元格得到其行计数与列计数之积）
checkerboard-formula-uneven-layers = 不均匀（二维时为两个轴计数之积；堆叠 { $layers } 层会使其逐层累积）
checkerboard-formula-law = 当且仅当 s 整除 k 且 d 与 s 互质时均匀（d = 1 时：卷积核大小是步长的倍数）
checkerboard-explain-transposed = 转置卷积，{ $k }×{ $k } 卷积核，步长 { $s }，膨胀率 { $d }：除非 s 整除抽头的排布，否则各次叠加的重叠次数不均匀
checkerboard-explain-resize-nearest = 最近邻缩放 ×{ $s }，再做 { $k }×{ $k } 卷积：每个单元格都得到 k² 个抽头
checkerboard-explain-resize-bilinear = 双线性缩放 ×{ $s }，再做 { $k }×{ $k } 卷积：权重平滑而均匀
checkerboard-explain-pixel-shuffle = 用 { $k }×{ $k } 卷积得到 s² = { $channels } 个通道，再做像素重排：每个单元格都得到 k² 个抽头
checkerboard-explain-bilinear-additive = 对 s² = { $channels } 个通道做双线性 ×{ $s }，再分组求和：没有权重，均匀
checkerboard-explain = { $layers ->
    [1] { $what }。
   *[other] { $what }；堆叠 { $layers } 层。
}

## aspp

aspp-title = ASPP：各分支及其和（DeepLab v2）
aspp-summary = 不同膨胀率的并行 k×k 卷积读取同一特征图，各自的得分图相加；膨胀率越大，落在填充上的抽头越多。
aspp-preset = 预设
aspp-preset-help = DeepLab v2 各分支的膨胀率；改动任一膨胀率会切换为自定义。
aspp-preset-s = ASPP-S：膨胀率 2、4、8、12
aspp-preset-l = ASPP-L：膨胀率 6、12、18、24
aspp-preset-largefov = DeepLab-LargeFOV：膨胀率 12
aspp-preset-custom = 自定义膨胀率
aspp-rate-1 = 膨胀率 1
aspp-rate-2 = 膨胀率 2
aspp-rate-3 = 膨胀率 3
aspp-rate-4 = 膨胀率 4
aspp-rate-help = 分支的膨胀率；0 表示不用该分支。
aspp-map-size = 特征图大小
aspp-map-size-help = 特征图的边长（DeepLab v2：321×321 的图像在输出步长 8 时为 41）。
aspp-kernel-size = 卷积核大小
aspp-kernel-size-help = 每个分支的 k（奇数才能保持特征图大小）。
aspp-out-row = 输出行
aspp-out-row-help = 各项统计所针对的像素所在的行；−1 表示中心。
aspp-out-col = 输出列
aspp-out-col-help = 该像素所在的列；−1 表示中心。
aspp-error-no-branch = 请至少给一个分支大于 0 的膨胀率
aspp-error-even-kernel = 偶数卷积核（{ $k }×{ $k }）配合 padding = rate·(k − 1)/2 会改变特征图大小；ASPP 使用奇数卷积核
aspp-error-outside = 特征图是 { $m }×{ $m }，位置 { $position } 在其外
aspp-caption-rate = { $sym }（膨胀率 { $rate }）
aspp-stage = 各分支及其和
aspp-explain = 每个分支的 { $k }×{ $k } 卷积核读取同一张填充后的特征图，抽头相隔 r 个单元格（每个分支填充 r·{ $half }；落在特征图外的抽头读到零）；融合图按顺序把各分支相加。
aspp-fact-rate = 膨胀率 { $rate }：在 ({ $row }, { $col }) 处 { $taps } 个抽头中有 { $valid } 个落在特征图上；在整幅图上平均 { $percent }% 有效{ $degenerate }
aspp-fact-degenerate = ——只有中心抽头能看到特征图：相当于 1×1 卷积
aspp-fact-fused = ({ $row }, { $col }) 处的融合结果：y = { $sum } = { $value }
aspp-formula-branches = 对 r ∈ { $rates }：y{"{"}r{"}"} = conv2d(x, w{"{"}r{"}"}, padding = r·{ $half }, dilation = r)
aspp-formula-span = 膨胀率为 r 的 { $k }×{ $k } 分支覆盖 r·({ $k } − 1) + 1 个单元格：{ $spans }
aspp-formula-sum = y = { $sum }（DeepLab v2 把各分支的得分图相加；v3 则把它们拼接）
aspp-chart-title = { $k }×{ $k } 卷积核落在 { $m }×{ $m } 特征图上的抽头比例，随膨胀率变化
aspp-chart-x = 膨胀率
aspp-chart-y = 有效抽头
aspp-series-mean = 整幅图上的平均
aspp-series-branches = 各分支
aspp-series-centre = 仅中心抽头（1/k² = { $percent }）

## shift_and_stitch

shift-stitch-title = FCN 移位拼接 ≡ 空洞卷积
shift-stitch-summary = 对 f² 个移位并抽取的副本分别卷积，再把结果交错拼回，恰好等于在完整输入上做空洞卷积。
shift-stitch-factor = 倍数
shift-stitch-factor-help = f：输入被分成 f² 个移位副本，每个按 f 抽取。
shift-stitch-kernel-size = 卷积核大小
shift-stitch-kernel-size-help = k（奇数）：每个副本做一次 padding='same' 的 k×k 卷积（大小不变）。
shift-stitch-stage-decimate = 抽取 ({ $a }, { $b })
shift-stitch-explain-decimate = 从 x 的第 { $a } 行、第 { $b } 列起，行列方向上每 { $f } 个单元格取一个：f² = { $copies } 个移位副本之一。
shift-stitch-stage-stitch = 拼接 ({ $a }, { $b })
shift-stitch-explain-stitch = 该副本的结果从 y 的第 { $a } 行、第 { $b } 列起，行列方向上每 { $f } 个单元格填入一个。
shift-stitch-caption-part = { $sym } = { $source } 的卷积
shift-stitch-caption-kernel = 卷积核 { $sym }
shift-stitch-caption-shared-kernel = 卷积核 { $sym }（共用）
shift-stitch-caption-stitched = 拼接结果 { $sym }
shift-stitch-caption-atrous = 空洞卷积：膨胀率 f，y′ = y
shift-stitch-error-even-kernel = “same”卷积要求 kernel_size 为奇数，而不是 { $k }
shift-stitch-error-empty = factor 为 { $f } 时，{ $h }×{ $w } 输入的某些移位副本为空
shift-stitch-formula-shifts = 对 f² = { $shifts } 个移位 (a, b)：y[a + f·i, b + f·j] = (x[a::f, b::f] ⋆ w)[i, j]
shift-stitch-formula-atrous = {"="} (x ⋆_f w)[a + f·i, b + f·j]：膨胀率 { $f }、填充 { $p } 的 { $k }×{ $k } 卷积
shift-stitch-fact-convs = 移位拼接：{ $n } 次小卷积，外加抽取与交错；空洞卷积：一次卷积，数值相同
shift-stitch-fact-products = 乘加：{ $n } 次小卷积共 { $stitched }，空洞卷积 { $atrous }
