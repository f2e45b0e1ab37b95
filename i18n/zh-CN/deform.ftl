# deform_conv2d（src/ops/deform.rs）与 deform_roi_pool（src/ops/roi/）。

## deform_conv2d

deform-title = deform_conv2d（可变形卷积，v1/v2）
deform-summary = 每个输出位置的每个抽头都在输入上按自己学到的偏移采样，采样用双线性插值；v2 还用一个掩码缩放每个采样值。
deform-offsets = 偏移
    .help = 每个输出位置的 2·k·k 个偏移如何设定。
deform-offsets-zero = 零（即普通卷积）
deform-offsets-shift = 常数平移
deform-offsets-zoom = 向外扩展（类似膨胀）
deform-offsets-rotate = 旋转
deform-offsets-random = 随机
deform-offsets-attend = 聚焦到斑块
deform-strength = 偏移强度
    .help = 偏移的缩放倍数，以十分之一为单位（10 = 1.0）。
deform-mask = 掩码（DCNv2）
    .help = 对每个采样值的调制；全为 1 即 DCNv1。
deform-mask-ones = 全为 1（v1）
deform-mask-random = 0…1 之间的随机数
deform-mask-radial = 径向：中心抽头为 1
deform-overview = 全部采样点
    .help = 画出每个输出位置的采样点。
deform-overview-off = 关
deform-overview-on = 开
deform-kernel-size = 卷积核大小
    .help = 卷积核的高和宽（k）。
deform-padding = 填充
    .help = 输入四周补的零（p），可逐轴设置；落在输入之外的采样读到零。
deform-stage = 可变形卷积滑动
    .explain = 每个抽头在其规则位置加上学到的偏移处对输入采样，采样用双线性插值；掩码（v2）缩放每个采样值。
deform-stage-modulated = 带调制的可变形卷积滑动
deform-formula = y[p] = Σₖ w[k] · { $mask }x(p·s − p_pad + k·d + Δpₖ)，x 用双线性插值读取
deform-formula-offset = 偏移：[N, 2·kh·kw, H_out, W_out] = { $shape }——每个抽头、每个输出位置一对 (dy, dx)
deform-fact-weights = 权重：{ $weights } 个（与 { $kernel } 卷积相同）；偏移：{ $offsets } 个数，最大 |Δ| = { $largest }
deform-fact-work = 乘加：{ $products } 次“权重 × 采样值”乘积；{ $samples } 个双线性采样各混合最多 4 个角上的单元格（落在特征图外一格或更远的采样不读任何单元格）
deform-offset-channels = offset 有 { $channels } 个通道；它需要 2·offset_groups·kh·kw 个，即 { $multiple } 的倍数
deform-offset-groups = in_channels（{ $channels }）必须能被 offset_groups（{ $groups }）整除
deform-offset-shape = offset 的形状必须是 { $want }，实际为 { $got }
deform-mask-shape = mask 的形状必须是 { $want }，实际为 { $got }

## deform_roi_pool

deform-roi-title = 可变形 RoI 池化（对比 RoIAlign、RoI 池化）
deform-roi-summary = 把一个 RoI 分成若干格；每格对双线性采样取平均（RoIAlign），或先按学到的偏移平移再取平均（可变形），或取整个单元格中的最大值（RoI 池化）。
deform-roi-method = 方法
    .help = 同一个 RoI 的三种池化：可变形（代季峰等）、RoIAlign、量化的最大池化。
deform-roi-method-deform = 可变形 RoI 池化
deform-roi-method-align = RoIAlign（基线）
deform-roi-method-pool = RoI 池化（基线）
deform-roi-aligned = aligned（RoIAlign）
    .help = 把框平移半个像素（true，与可变形池化相同）。
deform-roi-aligned-true = true
deform-roi-aligned-false = false
deform-roi-x1 = RoI x1
deform-roi-y1 = RoI y1
deform-roi-x2 = RoI x2
deform-roi-y2 = RoI y2
deform-roi-corner-help = RoI 的一个角，以特征图的半个单元格为单位。
deform-roi-output-size = 输出大小
    .help = 每边的格数（池化后的高和宽）。
deform-roi-sampling-ratio = 采样率
    .help = 每格每边的双线性采样数。
deform-roi-gamma = γ（以 0.1 为单位）
    .help = 按 RoI 的大小缩放偏移（1 = 0.1，mmcv 的默认值）。
deform-roi-offsets = 格偏移
    .help = 每格学到的偏移 (x, y)，以 RoI 大小归一化。
deform-roi-offsets-zero = 零（= RoIAlign，aligned）
deform-roi-offsets-shift = 向右平移
deform-roi-offsets-spread = 向外散开
deform-roi-offsets-random = 随机
deform-roi-strength = 偏移强度
    .help = 偏移预设的缩放倍数，以十分之一为单位。
deform-roi-input-values = 输入取值
    .help = 特征图的预设值。
deform-roi-inverted-x = RoI 左右颠倒：x2（{ $x2 }）必须在 x1（{ $x1 }）的右边
deform-roi-inverted-y = RoI 上下颠倒：y2（{ $y2 }）必须在 y1（{ $y1 }）的下面
deform-roi-fact = RoI ({ $x1 }, { $y1 }) – ({ $x2 }, { $y2 })，特征图 { $size }；{ $bins } 格
deform-roi-pool-rounded = RoI 取整到单元格：x { $x1 }…{ $x2 }，y { $y1 }…{ $y2 }；每格 { $bin } 个单元格，向外取整
deform-roi-pool-max = 每格取其最大值；不含单元格的格为 0
deform-roi-align-bins = RoI { $aligned ->
    [yes] 平移 −½
   *[no] 按原样（大小至少为 1）
} → 每格 { $bin } 个单元格，不取整
deform-roi-align-samples = 每格对 { $ratio } 个双线性采样取平均
deform-roi-deform-move = 格 (i, j) 平移 γ·(w, h)·偏移[i, j] = { $gamma }·({ $w }, { $h })·(Δx, Δy)
deform-roi-deform-samples = 然后像 RoIAlign(aligned = true) 那样对 { $ratio } 个双线性采样取平均
deform-roi-grid-input = 特征图 { $sym }
deform-roi-grid-output = 池化结果 { $sym }
deform-roi-stage-align = RoIAlign 各格
    .explain = 每格对一组双线性采样取平均；不做任何取整。
deform-roi-stage-pool = RoI 最大池化
    .explain = RoI 及其各格都取整到整个单元格；每格取其最大值。
deform-roi-stage-deform = 可变形 RoI 各格
    .explain = 每格先平移 γ·(RoI 大小)·偏移，再对其双线性采样取平均。
